"""The frames of a frame folder: file name template, first index, count."""
import re
import string
from itertools import count
from typing import Iterable, List, NamedTuple, Optional

IMAGE_EXTENSIONS = ('.jpg', '.jpeg', '.png', '.bmp')
# A frame file name: a prefix that ends in a non-digit (or none), the frame
# index, an extension. `(.*\D)?` keeps all digits of the last run together.
_FRAME_NAME = re.compile(
    r'^(?P<prefix>(?:.*\D)?)(?P<digits>\d+)(?P<ext>\.[A-Za-z]+)$')


class FrameFolder(NamedTuple):
    """How the frames of one folder are named and numbered.

    The fields are the data info keys that mmaction2's ``SampleFrames`` and
    ``RawFrameDecode`` read: frame ``i`` (0-based) of the clip is the file
    ``filename_tmpl.format(start_index + i)``.
    """
    filename_tmpl: str
    start_index: int
    total_frames: int


def frame_name_pattern(filename_tmpl: str) -> 're.Pattern[str]':
    """A regex matching the names ``filename_tmpl`` gives, index in group 1.

    Raises:
        ValueError: if the template has not exactly one replacement field.
    """
    parts = list(string.Formatter().parse(filename_tmpl))
    fields = [field for _, field, _, _ in parts if field is not None]
    if len(fields) != 1:
        raise ValueError(
            'filename_tmpl must have one replacement field, the frame index '
            f"(e.g. 'img_{{:05}}.jpg'), got {filename_tmpl!r}")
    literals = [re.escape(literal) for literal, _, _, _ in parts]
    return re.compile(literals[0] + r'(\d+)' + ''.join(literals[1:]) + '$')


def frame_indices(names: Iterable[str], filename_tmpl: str) -> List[int]:
    """Indices of the names that ``filename_tmpl`` writes exactly, sorted.

    ``'img_{:05}.jpg'`` takes ``img_00007.jpg`` (7), not ``img_7.jpg``.
    """
    pattern = frame_name_pattern(filename_tmpl)
    indices = []
    for name in names:
        match = pattern.match(name)
        if match and filename_tmpl.format(int(match[1])) == name:
            indices.append(int(match[1]))
    return sorted(indices)


def candidate_templates(names: Iterable[str]) -> List[str]:
    """The frame name templates that the image file names suggest, sorted.

    A zero-padded index (``00001``) gives a fixed width (``{:05}``), any
    other index a plain field (``{}``).
    """
    templates = set()
    for name in names:
        match = _FRAME_NAME.match(name)
        if match is None or match['ext'].lower() not in IMAGE_EXTENSIONS:
            continue
        digits = match['digits']
        field = (f'{{:0{len(digits)}}}'
                 if len(digits) > 1 and digits[0] == '0' else '{}')
        templates.add(match['prefix'] + field + match['ext'])
    return sorted(templates)


def scan_frame_folder(names: Iterable[str],
                      where: str,
                      filename_tmpl: Optional[str] = None,
                      start_index: Optional[int] = None) -> FrameFolder:
    """Find the frames among the file names of one folder.

    Without a template, the template that names the most files wins (other
    files, e.g. ``.DS_Store`` or ``Thumbs.db``, are ignored); without a start
    index, the frames start at the smallest index found (0 or 1 for most
    extractors). The frames must then run without a gap.

    Args:
        names (Iterable[str]): File names in the folder.
        where (str): The folder, as error messages name it.
        filename_tmpl (str, optional): The frame name template, e.g.
            ``'img_{:05}.jpg'``. Defaults to the one inferred.
        start_index (int, optional): Index of the first frame. Defaults to
            the smallest index of a frame file.

    Returns:
        FrameFolder: template, first index and number of frames.

    Raises:
        FileNotFoundError: no frame files, or a frame missing between the
            first and the last.
        ValueError: several templates name the same, largest number of files.
    """
    names = list(names)
    templates = [filename_tmpl] if filename_tmpl else candidate_templates(
        names)
    found = {tmpl: frame_indices(names, tmpl) for tmpl in templates}
    most = max((len(indices) for indices in found.values()), default=0)
    if most == 0:
        looked_for = (repr(filename_tmpl) if filename_tmpl else
                      f'a number before one of {IMAGE_EXTENSIONS}')
        raise FileNotFoundError(
            f'frame folder {where}: no frame files (looked for {looked_for}; '
            f'found {sorted(names)[:5]} of {len(names)} file(s))')
    best = [tmpl for tmpl, indices in found.items() if len(indices) == most]
    if len(best) > 1:
        raise ValueError(
            f'frame folder {where}: {len(best)} frame name templates name '
            f'{most} files each: {", ".join(map(repr, best))}; set '
            'filename_tmpl to the one holding the RGB frames')
    tmpl = best[0]
    indices = found[tmpl]
    first = indices[0] if start_index is None else start_index
    present = set(indices)
    missing = next(index for index in count(first) if index not in present)
    if missing <= indices[-1] or missing == first:
        raise FileNotFoundError(
            f'frame folder {where}: {tmpl.format(missing)!r} (index {missing})'
            f' is missing; frames {tmpl!r} must run from {first} to the last '
            f'({indices[-1]}) without a gap. Extract the frames again or leave'
            ' the video out of the split')
    return FrameFolder(tmpl, first, missing - first)
