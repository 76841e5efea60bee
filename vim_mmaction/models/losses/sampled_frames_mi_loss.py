"""Agreement of the predictions from the sampled and from all frames."""
import contextlib
from typing import Iterator, Optional

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from torch import nn

AUTOCAST_DTYPES = {'bfloat16': torch.bfloat16, 'float16': torch.float16}


@MODELS.register_module()
class SampledFramesMILoss(nn.Module):
    """VIM's intra-video mutual-information term on the video sampler.

    The KL divergence between the predictions from all M dense frames
    (``p_all``) and from the T sampled frames (``p_sampled``), averaged over
    the scored clips, with one side a fixed target (no gradient):

    - ``target='all'``: ``KL(p_all || p_sampled)``. The gradient reaches the
      sampled side: the sampler (and the backbone on the T frames) learn to
      keep the information of the whole video that the prediction needs.
      The all-frame pass runs without gradient.
    - ``target='sampled'``: ``KL(p_sampled || p_all)``, the sampled side
      detached (the direction of TA2N's released helper). The gradient
      reaches the backbone and head through all M frames, none the
      sampler; the all-frame pass keeps its activations for backward.

    The recognizer computes the all-frame logits (one more backbone pass
    over the M frames) in training only, only when ``loss_weight > 0`` and
    only at the steps :meth:`due` allows, inside :meth:`all_frame_pass`.

    Two ways to make that pass cheaper without changing what the term
    estimates: ``interval=k`` computes the term at every k-th training step
    only, weighted k times so that its expected gradient stays the same;
    ``all_frames_dtype`` runs the pass under autocast (for training in
    float32; under AMP the pass already runs in the AMP dtype).

    Args:
        loss_weight (float): Weight of the term. Defaults to 1.0.
        target (str): ``'all'`` or ``'sampled'``, the side that is the fixed
            target. Defaults to ``'all'``.
        interval (int): Compute the term at every ``interval``-th training
            step (call of :meth:`due`). With ``interval > 1`` the step
            count is a buffer (``steps``), saved in checkpoints, so a
            resumed run keeps its phase. Defaults to 1 (every step).
        all_frames_dtype (str, optional): ``'bfloat16'`` or ``'float16'``:
            autocast dtype of the all-frame pass. Defaults to None (the
            step's own precision).

    Shapes:
        sampled_logits, all_logits: (N, classes) -> scalar.
    """

    def __init__(self,
                 loss_weight: float = 1.0,
                 target: str = 'all',
                 interval: int = 1,
                 all_frames_dtype: Optional[str] = None) -> None:
        super().__init__()
        if loss_weight < 0:
            raise ValueError(f'loss_weight must be >= 0, got {loss_weight}')
        if target not in ('all', 'sampled'):
            raise ValueError(
                f"target must be 'all' or 'sampled', got {target!r}")
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'interval must be an int >= 1, got {interval!r}')
        if all_frames_dtype is not None and \
                all_frames_dtype not in AUTOCAST_DTYPES:
            raise ValueError('all_frames_dtype must be None or one of '
                             f'{sorted(AUTOCAST_DTYPES)}, got '
                             f'{all_frames_dtype!r}')
        self.loss_weight = loss_weight
        self.target = target
        self.interval = interval
        self.all_frames_dtype = all_frames_dtype
        if interval > 1:
            # Saved in checkpoints: a resumed run keeps its phase. Only then,
            # so that checkpoints of the every-step term hold no count.
            self.register_buffer('steps', torch.zeros((), dtype=torch.long))

    @property
    def needs_all_frame_grad(self) -> bool:
        """Whether the all-frame pass must keep its graph for backward."""
        return self.target == 'sampled'

    def due(self) -> bool:
        """Whether the current training step computes the term; counts the
        step. Call once per training forward."""
        if self.loss_weight <= 0:
            return False
        if self.interval == 1:
            return True
        due = int(self.steps) % self.interval == 0
        self.steps += 1
        return due

    @contextlib.contextmanager
    def all_frame_pass(self, device: torch.device) -> Iterator[None]:
        """Context of the all-frame forward pass: gradient only if the term
        needs it, autocast to ``all_frames_dtype`` if set.

        Args:
            device (torch.device): Where the pass runs (autocast's device
                type).
        """
        autocast = (
            torch.autocast(
                device_type=device.type,
                dtype=AUTOCAST_DTYPES[self.all_frames_dtype])
            if self.all_frames_dtype is not None else contextlib.nullcontext())
        with torch.set_grad_enabled(self.needs_all_frame_grad), autocast:
            yield

    def forward(self, sampled_logits: torch.Tensor,
                all_logits: torch.Tensor) -> torch.Tensor:
        """Weighted KL from the target's prediction to the other's (times
        ``interval``)."""
        if sampled_logits.shape != all_logits.shape:
            raise ValueError(
                f'sampled logits {tuple(sampled_logits.shape)} and all-frame '
                f'logits {tuple(all_logits.shape)} differ in shape')
        target, other = ((all_logits, sampled_logits) if self.target == 'all'
                         else (sampled_logits, all_logits))
        kl = F.kl_div(
            F.log_softmax(other.float(), dim=-1),
            F.log_softmax(target.detach().float(), dim=-1),
            reduction='batchmean',
            log_target=True)
        return self.loss_weight * self.interval * kl
