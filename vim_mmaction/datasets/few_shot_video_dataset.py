"""A video dataset read from a few-shot split list."""
import os.path as osp
from collections import Counter
from typing import Callable, Dict, List, Optional, Sequence, Union

from mmaction.datasets import BaseActionDataset
from mmaction.datasets.transforms import SampleFrames
from mmaction.registry import DATASETS
from mmengine import fileio
from mmengine.logging import MMLogger

from .frame_folder import FrameFolder, frame_name_pattern, scan_frame_folder
from .split_list import SplitEntry, read_split_list
from .transforms import ReportShortClips

VIDEO_EXTENSIONS = ('.mp4', '.webm', '.avi', '.mkv', '.mov', '.m4v', '.flv')


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
        filename_tmpl (str, optional): Frame file names inside every frame
            folder, e.g. ``'img_{:05}.jpg'``. Defaults to inferring them per
            folder (see below).
        start_index (int, optional): Index of the first frame of every frame
            folder. Defaults to the smallest index found per folder. Videos
            always start at 0.
        backend_args (dict, optional): Storage of the split list, the videos
            and the frame folders, for :mod:`mmengine.fileio` (e.g.
            ``dict(backend='petrel')``). Defaults to the backend the path's
            prefix names (local files for plain paths). The pipeline reads
            the files with its own settings: mmaction2's ``DecordInit``,
            ``PyAVInit`` and ``RawFrameDecode`` take ``io_backend``.
        **kwargs: Passed on to :class:`mmaction.datasets.BaseActionDataset`.

    A frame folder is read on first use, not when the dataset is built, and
    once per process: its frames are the files that the template names
    (other files such as ``.DS_Store`` are ignored), from the first index
    on, without a gap (a gap is an error naming the missing frame). Without
    ``filename_tmpl`` the template naming the most files of the folder
    wins, which covers mmaction2's ``img_{:05}.jpg`` and the ``{:08}.jpg``,
    ``{:05}.jpg``, ``frame_{:06}.png`` of other extractors, 0- or 1-based;
    an explicit ``filename_tmpl`` or ``start_index`` is used as given.

    The pipeline gets a :class:`ReportShortClips` after each frame sampling
    step (any ``SampleFrames``): a video shorter than the frames sampled
    from it is logged once per process instead of silently repeated.

    Each data info holds ``label``, ``class_name``, ``video_id``,
    ``split_line`` (``file:line``), ``start_index`` and either ``filename``
    (a video) or ``frame_dir``, ``filename_tmpl`` and ``total_frames`` (a
    frame folder).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: Sequence[Union[dict, Callable]],
                 data_root: Optional[str] = None,
                 data_prefix: Optional[Dict[str, str]] = None,
                 on_missing: str = 'error',
                 filename_tmpl: Optional[str] = None,
                 start_index: Optional[int] = None,
                 backend_args: Optional[dict] = None,
                 **kwargs) -> None:
        if on_missing not in ('error', 'skip'):
            raise ValueError(
                f"on_missing must be 'error' or 'skip', got {on_missing!r}")
        self.on_missing = on_missing
        if filename_tmpl is not None:
            frame_name_pattern(filename_tmpl)  # refuse a bad one early
        self.filename_tmpl = filename_tmpl
        self.frame_start_index = start_index
        self.backend_args = backend_args
        self._listings: Dict[str, Dict[str, dict]] = {}
        self._frame_folders: Dict[str, FrameFolder] = {}
        super().__init__(
            ann_file,
            pipeline=pipeline,
            data_root=data_root,
            data_prefix=data_prefix or dict(video=''),
            start_index=0,  # of videos; frame folders set their own
            **kwargs)
        self.pipeline.transforms = self._report_short_clips(
            self.pipeline.transforms)

    @staticmethod
    def _report_short_clips(transforms: List[Callable]) -> List[Callable]:
        """``transforms`` with :class:`ReportShortClips` after each frame
        sampling step (mmaction2's ``SampleFrames`` and its subclasses)."""
        checked = []
        for transform in transforms:
            checked.append(transform)
            if isinstance(transform, SampleFrames):
                checked.append(ReportShortClips())
        return checked

    def load_data_list(self) -> List[dict]:
        """Parse the split list and resolve every line to a file."""
        video_root = self.data_prefix.get('video', '')
        entries = read_split_list(self.ann_file, self.backend_args)
        class_names: Dict[str, int] = {}
        by_file: Dict[str, SplitEntry] = {}
        data_list, missing = [], []
        for entry in entries:
            where = f'{self.ann_file}:{entry.line_number}'
            media = self._resolve(video_root, entry.class_name, entry.video_id)
            if media is None:
                missing.append(entry)
                continue
            path = media.get('filename', media.get('frame_dir'))
            first = by_file.setdefault(path, entry)
            if first is not entry:
                raise ValueError(
                    f"split {where}: '{entry.class_name}/{entry.video_id}' is "
                    f'the file of line {first.line_number} '
                    f"('{first.class_name}/{first.video_id}'): {path}; a "
                    'video can be in one class only')
            label = class_names.setdefault(entry.class_name, len(class_names))
            data_list.append(
                dict(
                    label=label,
                    class_name=entry.class_name,
                    video_id=entry.video_id,
                    split_line=where,
                    **media))
        self._report_missing(video_root, missing, len(entries))
        self._metainfo['classes'] = tuple(class_names)
        return data_list

    def _listing(self, folder: str) -> Dict[str, dict]:
        """Map each video stem and sub-folder name of ``folder`` to its
        media info: ``filename`` or ``frame_dir`` (cached)."""
        if folder not in self._listings:
            listing: Dict[str, dict] = {}
            if fileio.isdir(folder, backend_args=self.backend_args):
                for name in self._list_files(folder):
                    stem, ext = osp.splitext(name)
                    if ext.lower() in VIDEO_EXTENSIONS:
                        path = self._join(folder, name)
                        listing.setdefault(stem, dict(filename=path))
                for name in sorted(
                        fileio.list_dir_or_file(
                            folder,
                            list_file=False,
                            backend_args=self.backend_args)):
                    path = self._join(folder, name)
                    listing.setdefault(name, dict(frame_dir=path))
            self._listings[folder] = listing
        return self._listings[folder]

    def _list_files(self, folder: str) -> List[str]:
        return sorted(
            fileio.list_dir_or_file(
                folder, list_dir=False, backend_args=self.backend_args))

    def _join(self, folder: str, name: str) -> str:
        return fileio.join_path(folder, name, backend_args=self.backend_args)

    def _resolve(self, root: str, class_name: str,
                 video_id: str) -> Optional[dict]:
        """Media info of the first file or frame folder the line names."""
        for folder in (self._join(root, class_name), root):
            media = self._listing(folder).get(video_id)
            if media is not None:
                return media
        return None

    def _report_missing(self, root: str, missing: List[SplitEntry],
                        num_entries: int) -> None:
        if not missing:
            return
        lines = [
            f"{self.ann_file}:{entry.line_number}: "
            f"'{entry.class_name}/{entry.video_id}'" for entry in missing
        ]
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
        if len(missing) == num_entries:
            raise FileNotFoundError(
                f'none of the {num_entries} video(s) of split '
                f'{self.ann_file} was found ({looked_in})')
        logger = MMLogger.get_current_instance()
        per_class = Counter(entry.class_name for entry in missing)
        logger.warning(
            f'{self.ann_file}: skipped {len(missing)} missing video(s) '
            f'({looked_in}); per class: {dict(per_class)}')
        for line in lines:
            logger.warning(f'missing video, skipped: {line}')

    def get_data_info(self, idx: int) -> dict:
        """Data info of clip ``idx``, with the frames of a frame folder."""
        info = super().get_data_info(idx)
        if 'frame_dir' in info:
            info.update(
                self._frame_folder(info['frame_dir'],
                                   info['split_line'])._asdict())
        return info

    def get_cat_ids(self, idx: int) -> List[int]:
        """The label of clip ``idx``, without reading its frame folder."""
        return [super().get_data_info(idx)['label']]

    def _frame_folder(self, frame_dir: str, split_line: str) -> FrameFolder:
        if frame_dir not in self._frame_folders:
            self._frame_folders[frame_dir] = scan_frame_folder(
                self._list_files(frame_dir), f'{frame_dir} ({split_line})',
                self.filename_tmpl, self.frame_start_index)
        return self._frame_folders[frame_dir]
