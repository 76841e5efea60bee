"""A video dataset read from a few-shot split list."""
import os
import os.path as osp
import re
from collections import Counter
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS
from mmengine.logging import MMLogger

VIDEO_EXTENSIONS = ('.mp4', '.webm', '.avi', '.mkv', '.mov', '.m4v', '.flv')
_SPLIT_LINE = re.compile(r'^(?P<class_name>[^/]+)/(?P<video_id>[^/]+)$')


@DATASETS.register_module()
class FewShotVideoDataset(BaseActionDataset):
    """Videos (or folders of frames) listed by a few-shot split file.

    Each line of ``ann_file`` is ``class/video_id``, the format of the
    standard few-shot splits: a named class (``air drumming/-VtLx-mcPds``) or
    an anonymised one (``train18/195025``). A line resolves, under the video
    root, to the first of ``<root>/<class>/<video_id>.<ext>``,
    ``<root>/<class>/<video_id>/`` (a folder of frames),
    ``<root>/<video_id>.<ext>`` and ``<root>/<video_id>/`` that exists, with
    ``ext`` any of :data:`VIDEO_EXTENSIONS` (any container decord or PyAV
    reads). Class labels follow the order of first appearance in the file.

    Args:
        ann_file (str): The split list.
        pipeline (list): Transforms applied to each clip.
        data_root (str, optional): Root that ``ann_file`` and
            ``data_prefix`` are relative to.
        data_prefix (dict): ``video``: folder holding the videos.
        on_missing (str): ``'error'`` raises on the first lines that resolve
            to no file; ``'skip'`` leaves them out and logs each of them (for
            benchmarks with videos no longer downloadable). Defaults to
            ``'error'``.
        filename_tmpl (str): Frame file names inside a frame folder.
            Defaults to ``'img_{:05}.jpg'``.
        **kwargs: Passed on to :class:`mmaction.datasets.BaseActionDataset`.

    Each data info holds ``label``, ``class_name``, ``video_id``,
    ``split_line`` (``file:line``) and either ``filename`` (a video) or
    ``frame_dir``, ``filename_tmpl``, ``offset`` and ``total_frames`` (frames).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: Sequence[Union[dict, Callable]],
                 data_root: Optional[str] = None,
                 data_prefix: Optional[Dict[str, str]] = None,
                 on_missing: str = 'error',
                 filename_tmpl: str = 'img_{:05}.jpg',
                 **kwargs) -> None:
        if on_missing not in ('error', 'skip'):
            raise ValueError(
                f"on_missing must be 'error' or 'skip', got {on_missing!r}")
        self.on_missing = on_missing
        self.filename_tmpl = filename_tmpl
        self._listings: Dict[str, Dict[str, str]] = {}
        super().__init__(
            ann_file,
            pipeline=pipeline,
            data_root=data_root,
            data_prefix=data_prefix or dict(video=''),
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Parse the split list and resolve every line to a file."""
        video_root = self.data_prefix.get('video', '')
        class_names: Dict[str, int] = {}
        data_list, missing = [], []
        with open(self.ann_file, encoding='utf-8') as split:
            for line_number, line in enumerate(split, start=1):
                line = line.strip()
                if not line:
                    continue
                where = f'{self.ann_file}:{line_number}'
                match = _SPLIT_LINE.match(line)
                if match is None:
                    raise ValueError(
                        f"split {where}: expected 'class/video_id', "
                        f'got {line!r}')
                class_name, video_id = match['class_name'], match['video_id']
                path = self._resolve(video_root, class_name, video_id)
                if path is None:
                    missing.append((where, class_name, video_id))
                    continue
                label = class_names.setdefault(class_name, len(class_names))
                info = dict(
                    label=label,
                    class_name=class_name,
                    video_id=video_id,
                    split_line=where)
                info.update(self._media_info(path))
                data_list.append(info)
        self._report_missing(video_root, missing)
        self._metainfo['classes'] = tuple(class_names)
        return data_list

    def _listing(self, folder: str) -> Dict[str, str]:
        """Map each entry stem of ``folder`` to its path (cached)."""
        if folder not in self._listings:
            entries = os.listdir(folder) if osp.isdir(folder) else []
            listing = {}
            for entry in sorted(entries):
                stem, ext = osp.splitext(entry)
                path = osp.join(folder, entry)
                if osp.isdir(path):
                    listing.setdefault(entry, path)
                elif ext.lower() in VIDEO_EXTENSIONS:
                    listing.setdefault(stem, path)
            self._listings[folder] = listing
        return self._listings[folder]

    def _resolve(self, root: str, class_name: str,
                 video_id: str) -> Optional[str]:
        for folder in (osp.join(root, class_name), root):
            path = self._listing(folder).get(video_id)
            if path is not None:
                return path
        return None

    def _media_info(self, path: str) -> dict:
        if osp.isdir(path):
            return dict(
                frame_dir=path, filename_tmpl=self.filename_tmpl, offset=0)
        return dict(filename=path)

    def _report_missing(self, root: str,
                        missing: List[Tuple[str, str, str]]) -> None:
        if not missing:
            return
        lines = [f"{where}: '{cls}/{vid}'" for where, cls, vid in missing]
        looked_in = (f'looked for <class>/<video_id>.<ext>, '
                     f'<video_id>.<ext> and frame folders under {root!r}, '
                     f'ext in {VIDEO_EXTENSIONS}')
        if self.on_missing == 'error':
            shown = '\n  '.join(lines[:10])
            more = f'\n  ... and {len(missing) - 10} more' if len(
                missing) > 10 else ''
            raise FileNotFoundError(
                f'{len(missing)} video(s) of the split list not found '
                f'({looked_in}):\n  {shown}{more}\n'
                "Set on_missing='skip' to leave them out.")
        logger = MMLogger.get_current_instance()
        per_class = Counter(class_name for _, class_name, _ in missing)
        logger.warning(
            f'{self.ann_file}: skipped {len(missing)} missing video(s) '
            f'({looked_in}); per class: {dict(per_class)}')
        for line in lines:
            logger.warning(f'missing video, skipped: {line}')

    def get_data_info(self, idx: int) -> dict:
        """Data info of clip ``idx``; counts the frames of a frame folder."""
        info = super().get_data_info(idx)
        if 'frame_dir' in info:
            info['total_frames'] = len(os.listdir(info['frame_dir']))
        return info
