"""Pictures of the first test episodes (``tools/test.py --show-dir``)."""
import os
import os.path as osp
from typing import Optional, Sequence

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ..datasets.episode_collate import episode_collate
from ..utils.episode import EpisodeLayout, split_episodes
from .episode_record import EpisodeRecord, record_episodes
from .figures import draw_query


def draw_recorded_query(record: EpisodeRecord, position: int, path: str,
                        title: str, class_names: Sequence[str]) -> None:
    """:func:`draw_query` for the query at batch ``position`` of
    ``record``."""
    draw_query(path, record.views[position], title, class_names,
               record.outputs[position].pred_score.cpu().numpy(),
               record.alignments.get(position))


@HOOKS.register_module()
class FewShotVisualizationHook(Hook):
    """Draws the first test episodes each process runs: one PNG per query,
    ``episode_<id>_query_<n>.png`` (see :func:`draw_query`: the frames the
    sampler kept and zoomed, the score per class and, for VIM's alignment
    head, the alignment with the predicted class).

    Each drawn episode is loaded again from the test dataset and run through
    the model with hooks that record what it did: the pictures need the
    frames, which a test loop scoring cached features never loads, and the
    test's own results stay untouched.

    Args:
        out_dir (str): Folder of the PNGs; created if missing.
        num_episodes (int): Episodes to draw per process. Defaults to 4.
    """

    priority = 'LOW'

    def __init__(self, out_dir: str, num_episodes: int = 4) -> None:
        if num_episodes < 1:
            raise ValueError(
                f'num_episodes must be at least 1, got {num_episodes}')
        self.out_dir = out_dir
        self.num_episodes = num_episodes
        self._drawn = 0

    def before_test(self, runner) -> None:
        self._drawn = 0
        os.makedirs(self.out_dir, exist_ok=True)

    def after_test_iter(self,
                        runner,
                        batch_idx: int,
                        data_batch: Optional[dict] = None,
                        outputs: Optional[Sequence] = None) -> None:
        if self._drawn >= self.num_episodes:
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        dataset = runner.test_dataloader.dataset
        classes = dataset.metainfo.get('classes')
        episode_ids = dict.fromkeys(
            int(sample.metainfo['episode_id']) for sample in outputs)
        for episode_id in episode_ids:
            if self._drawn >= self.num_episodes:
                return
            record = record_episodes(model,
                                     episode_collate([dataset[episode_id]]))
            self._draw_episode(record, split_episodes(record.outputs)[0],
                               classes)
            self._drawn += 1

    def _draw_episode(self, record: EpisodeRecord, layout: EpisodeLayout,
                      classes: Optional[Sequence[str]]) -> None:
        class_names = [
            _class_name(record.outputs[row[0]], classes)
            for row in layout.support_index.tolist()
        ]
        for n, position in enumerate(layout.query_index.tolist()):
            path = osp.join(
                self.out_dir,
                f'episode_{layout.episode_id:04d}_query_{n:02d}.png')
            title = (f'episode {layout.episode_id}, query {n}: '
                     f'{_class_name(record.outputs[position], classes)}')
            draw_recorded_query(record, position, path, title, class_names)


def _class_name(sample, classes: Optional[Sequence[str]]) -> str:
    """The dataset class of a clip: its name, or its label without names."""
    label = sample.metainfo['dataset_label']
    return str(label) if classes is None else classes[label]
