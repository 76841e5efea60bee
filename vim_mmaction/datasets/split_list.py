"""Few-shot split lists: one ``class/video_id`` per line."""
import re
from typing import Dict, List, NamedTuple, Optional

from mmengine import fileio

_SPLIT_LINE = re.compile(r'^(?P<class_name>[^/]+)/(?P<video_id>[^/]+)$')


class SplitEntry(NamedTuple):
    """One line of a split list (``line_number`` counts from 1)."""
    line_number: int
    class_name: str
    video_id: str


def parse_split_list(data: bytes, name: str) -> List[SplitEntry]:
    """Parse the bytes of a split list.

    UTF-8, with or without a byte order mark; ``\\n`` or ``\\r\\n`` line
    ends; blank lines and surrounding spaces are ignored.

    Args:
        data (bytes): The file's content.
        name (str): The file, as error messages name it.

    Returns:
        list[SplitEntry]: The entries in file order.

    Raises:
        ValueError: bytes that are not UTF-8, a line that is not
            ``class/video_id``, a line repeated, or no entry at all; the
            message names the file and the line.
    """
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError as error:
        line_number = data.count(b'\n', 0, error.start) + 1
        raise ValueError(
            f'split {name}:{line_number}: byte 0x{data[error.start]:02x} at '
            f'offset {error.start} is not UTF-8; save the file as UTF-8'
        ) from None
    entries = []
    first_seen: Dict[str, int] = {}
    # Not str.splitlines(), which also ends lines at characters such as
    # U+2028 and would number lines unlike an editor.
    for line_number, line in enumerate(text.split('\n'), start=1):
        line = line.strip()
        if not line:
            continue
        match = _SPLIT_LINE.match(line)
        if match is None:
            raise ValueError(f"split {name}:{line_number}: expected "
                             f"'class/video_id', got {line!r}")
        seen = first_seen.setdefault(line, line_number)
        if seen != line_number:
            raise ValueError(f'split {name}:{line_number}: {line!r} repeats '
                             f'line {seen}; remove one of them')
        entries.append(
            SplitEntry(line_number, match['class_name'], match['video_id']))
    if not entries:
        raise ValueError(f"split {name}: no entries (expected one "
                         "'class/video_id' per line)")
    return entries


def read_split_list(path: str,
                    backend_args: Optional[dict] = None) -> List[SplitEntry]:
    """Read and parse a split list through :mod:`mmengine.fileio`."""
    return parse_split_list(fileio.get(path, backend_args=backend_args), path)
