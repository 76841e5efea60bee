"""demo/demo_few_shot.py on synthetic videos with untrained tiny models."""
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pytest
import torch

from vim_mmaction.apis import init_few_shot_model
from vim_mmaction.visualization.figures import PANEL_ROWS

from ..helpers import REPO, load_tool

demo = load_tool('demo/demo_few_shot.py')
CLASSES = ('grow', 'shrink', 'there_and_back')


@pytest.fixture(scope='module')
def episode(synthetic_root, tmp_path_factory):
    """A support folder (2 videos of each of 3 classes, linked) and one
    query video per class."""
    support = tmp_path_factory.mktemp('support')
    queries = []
    for name in CLASSES:
        videos = sorted((synthetic_root / 'videos' / name).iterdir())
        (support / name).mkdir()
        for video in videos[:2]:
            (support / name / video.name).symlink_to(video)
        queries.append(str(videos[2]))
    return support, queries


@pytest.fixture(scope='module')
def checkpoints(tmp_path_factory):
    """Config -> a checkpoint of its untrained model (saved once)."""
    saved = {}

    def get(config: str) -> str:
        if config not in saved:
            model = init_few_shot_model(REPO / config, device='cpu')
            path = tmp_path_factory.mktemp('checkpoint') / 'model.pth'
            torch.save(dict(state_dict=model.state_dict()), path)
            saved[config] = str(path)
        return saved[config]

    return get


@pytest.fixture
def run(episode, checkpoints):
    """Runs the demo on ``episode`` with a config's saved checkpoint."""

    def run_demo(config, *options, queries=None):
        support, episode_queries = episode
        return demo.main([
            str(REPO / config),
            checkpoints(config),
            str(support), *(queries or episode_queries), '--device', 'cpu',
            *options
        ])

    return run_demo


def aspect(png: Path) -> float:
    """Height over width of a PNG."""
    height, width = matplotlib.image.imread(png).shape[:2]
    return height / width


def test_prints_a_row_per_query_with_its_scores(run, capsys):
    results = run('tests/data/tiny_vim.py')
    out = capsys.readouterr().out
    lines = out[out.index('query  '):].splitlines()  # after mmengine's logs
    assert lines[0].split() == ['query', 'predicted', *CLASSES]
    for line, result in zip(lines[1:], results):
        query, predicted, *scores = line.split()
        assert (query, predicted) == (result.query, result.pred_class)
        assert [float(s) for s in scores] == pytest.approx(
            list(result.scores.values()), abs=5e-4)
    assert len(lines) == 1 + len(CLASSES)


def test_pictures_of_vim_show_sampler_and_alignment(run, tmp_path):
    plain = run('tests/data/tiny_vim.py')
    out = tmp_path / 'pictures'
    drawn = run('tests/data/tiny_vim.py', '--out', str(out))
    assert drawn == plain  # recording changes no score
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        '00_grow_0002.png', '01_shrink_0002.png', '02_there_and_back_0002.png'
    ]
    # 3 rows of 8 dense frames (kept, saliency, zoom) over 4 panels
    # (scores, warp, attention, offsets) 3 thumbnails wide each.
    assert aspect(out / names[0]) == pytest.approx(
        (3 + PANEL_ROWS) / 12, rel=0.02)


def test_pictures_without_sampler_show_the_frames_and_scores(run, tmp_path):
    out = tmp_path / 'pictures'
    run('tests/data/tiny_synthetic.py', '--out', str(out))
    # 1 row of 4 frames over the scores panel (3 thumbnails wide).
    assert aspect(out / '00_grow_0002.png') == pytest.approx(
        (1 + PANEL_ROWS) / 4, rel=0.02)


def test_an_empty_class_folder_is_named(tmp_path):
    (tmp_path / 'grow').mkdir()
    (tmp_path / 'grow' / 'notes.txt').write_text('')
    (tmp_path / 'shrink').mkdir()
    with pytest.raises(ValueError,
                       match=r'support class folder .*grow has no videos '
                       r".*; it holds \['notes.txt'\]"):
        demo.read_support_dir(str(tmp_path))


def test_an_unreadable_video_is_named(run, tmp_path):
    broken = tmp_path / 'broken.mp4'
    broken.write_bytes(b'\x00' * 64)
    with pytest.raises(RuntimeError, match=f'failed to load {broken}'):
        run('tests/data/tiny_synthetic.py', queries=[str(broken)])


def test_a_missing_checkpoint_is_one_line_on_stderr(tmp_path, episode):
    support, queries = episode
    command = [
        sys.executable, 'demo/demo_few_shot.py',
        'tests/data/tiny_synthetic.py',
        str(tmp_path / 'missing.pth'),
        str(support), queries[0], '--device', 'cpu'
    ]
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f'demo_few_shot.py: error: checkpoint {tmp_path / "missing.pth"}: no '
        'such file. Pass the .pth file that tools/train.py wrote for this '
        'config (in its work dir), or no checkpoint for untrained weights.')
    assert 'Traceback' not in result.stderr
