"""tools/visualize_sampler.py on the tiny synthetic benchmark."""
import json

import matplotlib.image
import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from ..helpers import REPO, load_tool

pytestmark = pytest.mark.slow

CONFIG = str(REPO / 'configs' / 'vim' /
             'vim-sampler_effnet-lite0_1xb1-5way-1shot_synthetic.py')


def run_on_random_sampler(synthetic_root, tmp_path, *options):
    """main() on 2 test episodes with a randomly initialised checkpoint of
    CONFIG; returns the PNG paths and the out dir."""
    cfg = Config.fromfile(CONFIG)
    cfg.model.backbone.pretrained = False
    checkpoint = tmp_path / 'sampler.pth'
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()),
               checkpoint)
    out_dir = tmp_path / 'vis'
    paths = load_tool('tools/visualize_sampler.py').main([
        CONFIG,
        str(checkpoint), *options, '--out-dir',
        str(out_dir), '--num-episodes', '2', '--cfg-options',
        f'test_dataloader.dataset.dataset.data_root={synthetic_root}',
        'model.backbone.pretrained=False'
    ])
    return paths, out_dir


def test_writes_one_png_per_episode_with_three_rows_per_clip(
        synthetic_root, tmp_path):
    paths, out_dir = run_on_random_sampler(synthetic_root, tmp_path)
    assert sorted(p.name for p in out_dir.iterdir()) == [
        'episode_0000.png', 'episode_0001.png'
    ]
    image = matplotlib.image.imread(paths[0])
    # 5-way 1-shot, 1 query per class: 10 clips x 3 rows of 16 thumbnails.
    height, width = image.shape[:2]
    assert height / width == pytest.approx(30 / 16, rel=0.02)


def test_frame_stats_of_segment_centres_and_of_a_bunched_choice():
    frame_choice_stats = load_tool(
        'tools/visualize_sampler.py').frame_choice_stats

    def indicator(positions, num_dense=8):
        return torch.nn.functional.one_hot(
            torch.tensor(positions), num_dense).transpose(-1, -2).float()

    centres = frame_choice_stats([indicator([[1, 3, 5, 7]] * 2)])
    assert centres == dict(
        clips=2,
        keep_rate=[0, 1, 0, 1, 0, 1, 0, 1],
        mean_largest_gap=2.0,
        mean_span=6.0)
    # Two episodes: both ends kept (gap 5 = frames 2-5 dropped), the start.
    stats = frame_choice_stats(
        [indicator([[0, 1, 6, 7]]),
         indicator([[0, 1, 2, 3]])])
    assert stats['keep_rate'] == [1, 1, 0.5, 0.5, 0, 0, 0.5, 0.5]
    assert stats['mean_largest_gap'] == 5.0  # (5 + 5) / 2
    assert stats['mean_span'] == 5.0  # (7 + 3) / 2


def test_frame_stats_mode_prints_one_json_line_and_draws_nothing(
        synthetic_root, tmp_path, capsys):
    paths, out_dir = run_on_random_sampler(synthetic_root, tmp_path,
                                           '--frame-stats')
    assert paths == [] and not out_dir.exists()
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # 2 episodes x 10 clips, 8 of 16 frames kept per clip.
    assert stats['clips'] == 20
    assert len(stats['keep_rate']) == 16
    assert sum(stats['keep_rate']) == pytest.approx(8)


def test_action_window_stats_of_hand_cases():
    action_window_stats = load_tool(
        'tools/visualize_sampler.py').action_window_stats
    windows = [(4, 7), (10, 12)]
    stats = action_window_stats(
        dict(
            kept=[np.array([4, 5, 6, 20]), np.array([0, 1, 2, 3])],
            centres=[np.array([2, 6, 10, 14]), np.array([2, 6, 10, 14])]),
        windows)
    assert stats == dict(
        kept=dict(share=0.375, clips_without=0.5),  # (3/4 + 0) / 2
        centres=dict(share=0.25, clips_without=0.0))


def test_action_windows_file_errors_name_the_line(tmp_path):
    read_action_windows = load_tool(
        'tools/visualize_sampler.py').read_action_windows
    path = tmp_path / 'action_windows.txt'
    path.write_text('clip_0000 64 6 18\nclip_0001 64 6\n')
    with pytest.raises(ValueError, match=r'action_windows.txt:2: expected'):
        read_action_windows(str(path))
    path.write_text('clip_0000 64 6 18\n')
    assert read_action_windows(str(path)) == {'clip_0000': (64, 6, 18)}


def test_frame_stats_with_action_windows(synthetic_root, tmp_path, capsys):
    run_on_random_sampler(synthetic_root, tmp_path, '--frame-stats',
                          '--action-windows',
                          str(synthetic_root / 'action_windows.txt'))
    stats = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    in_window = stats['in_action_window']
    assert set(in_window) == {
        'kept', 'segment_centres', 'dense', 'kept_share_ceiling'}
    # Windows of 40-80 % of a 16-frame clip: every clip's segment centres
    # and dense frames meet it; a choice of 8 of 16 can fill 8 with it.
    for frames in ('segment_centres', 'dense'):
        assert 0.3 < in_window[frames]['share'] < 0.9
        assert in_window[frames]['clips_without'] == 0
    assert in_window['dense']['share'] <= in_window['kept_share_ceiling'] <= 1
    assert 0 <= in_window['kept']['share'] <= in_window['kept_share_ceiling']


def test_action_windows_without_frame_stats_is_an_error(tmp_path):
    with pytest.raises(ValueError, match='--action-windows needs'):
        load_tool('tools/visualize_sampler.py').main(
            [CONFIG, 'unused.pth', '--action-windows', 'windows.txt'])


def test_clips_missing_from_the_action_windows_are_named(
        synthetic_root, tmp_path):
    windows = tmp_path / 'partial_windows.txt'
    windows.write_text('some_other_clip_0000 16 2 9\n')
    with pytest.raises(ValueError, match='partial_windows.txt has no line'):
        run_on_random_sampler(synthetic_root, tmp_path, '--frame-stats',
                              '--action-windows', str(windows))
