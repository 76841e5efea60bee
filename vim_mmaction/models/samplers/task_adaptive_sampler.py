"""VIM's task-adaptive spatial-temporal video sampler."""
from typing import Dict, Mapping, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.utils import ConfigType, OptConfigType
from mmengine.model import BaseModule

from ...utils.episode import split_episodes
from .perturbed_topk import PerturbedTopK, sorted_positions_indicator
from .spatial_amplifier import SpatialAmplifier
from .task_adaptive_learner import TaskAdaptiveLearner
from .temporal_selector import TemporalSelector
from .uniform_frame_sampler import uniform_positions


class SamplerOutput(NamedTuple):
    """What :meth:`TaskAdaptiveSampler.sample` computed.

    Attributes:
        frames: (clips, T, C, H, W) selected (and amplified) frames.
        indicator: (clips, M, T) weight of each dense frame in each selected
            frame: soft in training, one-hot at test or without a selector.
        scores: (clips, M) normalised frame scores, or None without a
            selector.
        saliency: (clips, T, h, w) saliency of the selected frames, or None
            without an amplifier.
    """

    frames: torch.Tensor
    indicator: torch.Tensor
    scores: Optional[torch.Tensor]
    saliency: Optional[torch.Tensor]


class ClipGroups(NamedTuple):
    """How the clips of a batch share guidance and task features.

    Attributes:
        guidance: (clips, ) group of each clip: a support class of an
            episode, or the clip alone (queries, clips outside episodes).
        task: (clips, ) task (episode) of each clip.
        support: (clips, ) whether the clip feeds its task's feature.
    """

    guidance: torch.Tensor
    task: torch.Tensor
    support: torch.Tensor


def clip_groups(data_samples: Optional[Sequence], num_clips: int,
                device: torch.device) -> ClipGroups:
    """Guidance groups and tasks from the episode layout of the samples.

    Without an episode layout (no samples, or samples without episode
    metainfo, as in supervised recognition) every clip is its own group
    and its own task.
    """
    clips = torch.arange(num_clips, device=device)
    if not data_samples or not _has_episode_layout(data_samples[0]):
        return ClipGroups(clips, clips, torch.ones_like(clips, dtype=bool))
    guidance, task = clips.clone(), torch.zeros_like(clips)
    support = torch.zeros_like(clips, dtype=bool)
    next_group = num_clips
    for index, layout in enumerate(split_episodes(data_samples)):
        support_index = layout.support_index.to(device)  # (ways, shots)
        ways = layout.num_ways
        guidance[support_index] = torch.arange(
            next_group, next_group + ways, device=device).unsqueeze(1)
        next_group += ways
        task[support_index.flatten()] = index
        task[layout.query_index.to(device)] = index
        support[support_index.flatten()] = True
    return ClipGroups(
        torch.unique(guidance, return_inverse=True)[1], task, support)


def _has_episode_layout(sample) -> bool:
    meta = sample if isinstance(sample, Mapping) else sample.metainfo
    return 'episode_id' in meta


def group_mean(x: torch.Tensor,
               group: torch.Tensor,
               mask: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Mean of the rows of ``x`` in each group (masked rows left out).

    Args:
        x: (N, d) rows.
        group: (N, ) group of each row, ``0 .. G - 1``.
        mask: (N, ) rows that count; defaults to all.

    Returns:
        (G, d) group means (zero for a group without counted rows).
    """
    weight = torch.ones_like(group, dtype=x.dtype) if mask is None else \
        mask.to(x.dtype)
    num_groups = int(group.max()) + 1
    sums = x.new_zeros(num_groups, x.shape[1]).index_add(
        0, group, x * weight.unsqueeze(1))
    counts = x.new_zeros(num_groups).index_add(0, group, weight)
    return sums / counts.clamp_min(1).unsqueeze(1)


@MODELS.register_module()
class TaskAdaptiveSampler(BaseModule):
    """Selects T of M dense frames per clip and zooms into their salient
    regions, conditioned on the episode (VIM; Liu et al. ACM MM 2022).

    A small scan network looks at ``scan_size`` copies of all M frames
    (made here by interpolation, not decoded again). The temporal selector
    scores each frame from its scan feature and a guidance feature (the
    video's mean; for support clips of a K > 1 episode the mean of its
    class), and a perturbed-maximum top-k keeps T frames in temporal order
    (soft mixture in training, hard at test). The selector's last layer is
    generated from the episode's support clips by the task-adaptive learner
    and shared by the episode's queries. The spatial amplifier then
    resamples each kept frame around its saliency.

    The episode layout comes from the data samples' metainfo (see
    :func:`vim_mmaction.utils.split_episodes`). Without one (supervised
    recognition, or ``mode='tensor'`` calls without samples) each clip is
    its own task: it guides itself and generates its own weights, so a
    clip's frames never depend on the rest of the batch.

    Each part can be switched off for ablations: ``selector=None`` keeps
    the segment centres (as :class:`UniformFrameSampler`), ``learner=None``
    learns a fixed last layer, ``amplifier=None`` keeps frames as selected.

    Args:
        num_frames (int): Frames kept per clip (T).
        scan_net (dict): Any 2D backbone returning a feature map or a tuple
            of maps; the last map, average-pooled, is the frame feature.
            Defaults to :class:`ScanShuffleNetV2` x0.5.
        scan_size (int): Side of the scan copies. Defaults to 64.
        saliency_indices (Sequence[int]): Scan maps the amplifier's saliency
            is made of. Defaults to (1, 2, 3) (ShuffleNetV2 stages 2-4,
            16, 8 and 4 px on 64 px scans).
        selector (dict, optional): :class:`TemporalSelector` options
            (``hidden_channels``, ``positional_encoding``). Defaults to
            ``dict()``.
        topk (dict): :class:`PerturbedTopK` options (``num_samples``,
            ``sigma``). Defaults to ``dict()``.
        anchor_frames (int): Of the T kept frames, how many sit at fixed
            positions, the centres of ``anchor_frames`` equal segments of
            the M; the selector chooses the other T - ``anchor_frames``
            among the rest. No gap between kept frames is then longer than
            M / ``anchor_frames``, which the authors' top-k (0, the
            default) does not promise: it may keep one block of the clip
            and drop the motion elsewhere.
        learner (dict, optional): :class:`TaskAdaptiveLearner` options
            (``latent_channels``) plus ``adapt_saliency`` (bool, default
            False: also generate the saliency's channel weights). Defaults to
            ``dict()``.
        amplifier (dict, optional): :class:`SpatialAmplifier` options
            (``saliency``, ``max_zoom``, ``iterations``, ``detach_grid``,
            ``zoom``, ``initial_zoom``, ``initial_strength``). Defaults to
            ``dict()``.
        init_cfg (dict, optional): mmengine initialisation config.

    Shapes:
        inputs: (clips, M, C, H, W) -> (clips, T, C, H, W).
    """

    def __init__(self,
                 num_frames: int,
                 scan_net: ConfigType = dict(type='ScanShuffleNetV2'),
                 scan_size: int = 64,
                 saliency_indices: Sequence[int] = (1, 2, 3),
                 selector: OptConfigType = dict(),
                 topk: ConfigType = dict(),
                 anchor_frames: int = 0,
                 learner: OptConfigType = dict(),
                 amplifier: OptConfigType = dict(),
                 init_cfg: OptConfigType = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if selector is None and amplifier is None:
            raise ValueError('TaskAdaptiveSampler with selector=None and '
                             'amplifier=None does nothing: use '
                             'UniformFrameSampler')
        if learner is not None and selector is None:
            raise ValueError('the task-adaptive learner generates the '
                             'selector\'s last layer: it needs a selector')
        if anchor_frames and selector is None:
            raise ValueError('anchor_frames needs a selector to choose the '
                             'other frames')
        if not 0 <= anchor_frames < num_frames:
            raise ValueError(f'anchor_frames must be in [0, {num_frames}) '
                             f'for {num_frames} kept frames, got '
                             f'{anchor_frames}')
        self.num_frames = num_frames
        self.anchor_frames = anchor_frames
        self.scan_size = scan_size
        self.saliency_indices = tuple(saliency_indices)
        self.scan_net = MODELS.build(scan_net)
        channels = self._scan_channels()
        if not all(-len(channels) <= i < len(channels)
                   for i in self.saliency_indices):
            raise ValueError(
                f'saliency_indices {self.saliency_indices} out of range of '
                f'the {len(channels)} scan maps')

        learner = None if learner is None else dict(learner)
        adapt_saliency = bool(learner and learner.pop('adapt_saliency',
                                                      False))
        self.amplifier = None
        if amplifier is not None:
            self.amplifier = SpatialAmplifier(
                [channels[i] for i in self.saliency_indices],
                adaptive=adapt_saliency,
                **amplifier)
        elif adapt_saliency:
            raise ValueError('adapt_saliency=True needs an amplifier')
        self.selector = self.topk = self.learner = None
        if selector is not None:
            self.selector = TemporalSelector(
                channels[-1], adaptive=learner is not None, **selector)
            self.topk = PerturbedTopK(**topk)
        if learner is not None:
            saliency_channels = (
                self.amplifier.num_channel_weights if self.amplifier else 0)
            self.learner = TaskAdaptiveLearner(
                channels[-1],
                out_channels=self.selector.hidden_channels,
                saliency_channels=saliency_channels,
                **learner)

    @torch.no_grad()
    def _scan_channels(self) -> Tuple[int, ...]:
        """Channels of each scan map, from one forward of a blank scan."""
        was_training = self.scan_net.training
        self.scan_net.eval()
        maps = self._scan_maps(
            torch.zeros(1, 1, 3, self.scan_size, self.scan_size))
        self.scan_net.train(was_training)
        return tuple(m.shape[1] for m in maps)

    def _scan_maps(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """(clips, M, C, H, W) -> scan maps of all frames, (clips * M, ...)."""
        scans = F.interpolate(
            inputs.flatten(0, 1),
            size=(self.scan_size, self.scan_size),
            mode='bilinear',
            align_corners=False,
            antialias=True)
        maps = self.scan_net(scans)
        return tuple(maps) if isinstance(maps, (tuple, list)) else (maps, )

    def log_vars(self) -> Dict[str, torch.Tensor]:
        """Scalars for the training log: the amplifier's learned zoom
        strength, where it has one."""
        strength = self.amplifier.strength if self.amplifier else None
        if strength is None:
            return dict()
        return dict(zoom_strength=strength.detach())

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[Sequence] = None) -> torch.Tensor:
        """(clips, M, C, H, W) -> (clips, T, C, H, W) frames."""
        return self.sample(inputs, data_samples).frames

    def sample(self,
               inputs: torch.Tensor,
               data_samples: Optional[Sequence] = None) -> SamplerOutput:
        """Select and amplify frames; also returns what decided them."""
        num_clips, num_dense = inputs.shape[:2]
        maps = self._scan_maps(inputs)
        groups = clip_groups(data_samples, num_clips, inputs.device)
        feats = maps[-1].mean(dim=(-2, -1)).unflatten(0, (num_clips,
                                                          num_dense))
        selector_weight, channel_offsets = self._generate(feats, groups)

        scores = None
        if self.selector is None:
            positions = uniform_positions(num_dense, self.num_frames).to(
                inputs.device)
            indicator = sorted_positions_indicator(
                positions, num_dense, inputs.dtype).expand(num_clips, -1, -1)
        else:
            video_mean = feats.mean(dim=1)  # (clips, d)
            guidance = group_mean(video_mean, groups.guidance)[
                groups.guidance]
            scores = self.selector(feats, guidance, selector_weight)
            indicator = self.topk(scores, self.num_frames,
                                  self._anchors(num_dense, inputs.device)
                                  )  # (clips, M, T)
        # A weighted mix of the M frames per kept frame: exact selection for
        # a one-hot indicator; the averaged soft indicator in training.
        frames = torch.einsum('bmt,bmchw->btchw', indicator.to(inputs.dtype),
                              inputs)

        saliency = None
        if self.amplifier is not None:
            # Scan maps of the kept frames, mixed like the frames, so the
            # saliency is computed for T frames per clip, not M.
            kept_maps = [
                torch.einsum('bmt,bmchw->btchw', indicator,
                             maps[i].unflatten(0, (num_clips, num_dense)))
                .flatten(0, 1) for i in self.saliency_indices
            ]
            if channel_offsets is not None:
                channel_offsets = channel_offsets.repeat_interleave(
                    self.num_frames, dim=0)  # (clips * T, sum c)
            saliency = self.amplifier.saliency(kept_maps, channel_offsets,
                                               self.num_frames)
            frames = self.amplifier(frames.flatten(0, 1),
                                    saliency).view_as(frames)
            saliency = saliency.unflatten(0, (num_clips, self.num_frames))
        return SamplerOutput(frames, indicator, scores, saliency)

    def _anchors(self, num_dense: int,
                 device: torch.device) -> Optional[torch.Tensor]:
        """(M, ) bool mask of the frames always kept, or None."""
        if not self.anchor_frames:
            return None
        mask = torch.zeros(num_dense, dtype=torch.bool, device=device)
        mask[uniform_positions(num_dense, self.anchor_frames)] = True
        return mask

    def _generate(
        self, feats: torch.Tensor, groups: ClipGroups
    ) -> Tuple[Optional[torch.Tensor], Optional[torch.Tensor]]:
        """Learner outputs of each clip's task: selector weight (clips,
        hidden) and saliency channel weight offsets (clips, sum c), or
        Nones."""
        if self.learner is None:
            return None, None
        task_feats = group_mean(feats.mean(dim=1), groups.task,
                                groups.support)  # (tasks, d)
        weight, channel_offsets = self.learner(task_feats)
        if channel_offsets is not None:
            channel_offsets = channel_offsets[groups.task]
        return weight[groups.task], channel_offsets
