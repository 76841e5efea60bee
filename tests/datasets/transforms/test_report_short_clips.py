import cv2
import numpy as np
import pytest

from vim_mmaction.datasets import FewShotVideoDataset, ReportShortClips

from ...helpers import write_split


def short_clip_dataset(tmp_path, sampling, num_frames=3):
    folder = tmp_path / 'frames' / 'wave' / 'v1'
    folder.mkdir(parents=True)
    for index in range(1, num_frames + 1):
        cv2.imwrite(str(folder / f'img_{index:05}.jpg'),
                    np.zeros((8, 8, 3), np.uint8))
    split = write_split(tmp_path / 'list.txt', ['wave/v1'])
    dataset = FewShotVideoDataset(
        split,
        pipeline=[sampling],
        data_prefix=dict(video=str(tmp_path / 'frames')))
    return dataset, folder


@pytest.mark.parametrize('sampling', [
    dict(type='SampleFrames', clip_len=1, num_clips=8, test_mode=True),
    dict(type='SampleFrames', clip_len=2, num_clips=4),
    dict(type='SegmentSampleFrames', num_clips=8),
])
def test_a_short_clip_is_logged_once(tmp_path, mmengine_log, sampling):
    dataset, folder = short_clip_dataset(tmp_path, sampling)
    for _ in range(3):
        assert len(dataset[0]['frame_inds']) == 8  # repeated frames
    reports = [line for line in mmengine_log if str(folder) in line]
    assert reports == [
        f'{folder} has 3 frame(s), 8 are sampled: frames repeat '
        '(logged once per video and process)'
    ]


def test_a_clip_as_long_as_the_sample_is_not_logged(tmp_path, mmengine_log):
    dataset, folder = short_clip_dataset(
        tmp_path, dict(type='SegmentSampleFrames', num_clips=8), num_frames=8)
    dataset[0]
    assert not [line for line in mmengine_log if str(folder) in line]


def test_the_dataset_checks_right_after_sampling(tmp_path):
    dataset, _ = short_clip_dataset(
        tmp_path, dict(type='SegmentSampleFrames', num_clips=8))
    names = [type(t).__name__ for t in dataset.pipeline.transforms]
    assert names == ['SegmentSampleFrames', 'ReportShortClips']
    assert isinstance(dataset.pipeline.transforms[1], ReportShortClips)
