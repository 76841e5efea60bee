"""The step schedules count training episodes: any split of the episodes of
an optimiser step over processes, batch and accumulation gives one schedule,
also across a resume."""
import sys

import pytest
import torch
from mmengine.config import Config

from vim_mmaction.engine import TopKSigmaDecayHook

from ...helpers import REPO, free_port
from ...tools.test_train_test_resume import run_tool
from .schedule_probe import StubRunner, SigmaProbe, probe_config, probe_runner


def expected_sigmas(num_episodes, episodes_per_step, interval_episodes=24):
    """Sigma of each episode: decays counted at the start of its step."""
    return [
        max(0.05 * 0.8**(e // episodes_per_step * episodes_per_step //
                         interval_episodes), 0.01)
        for e in range(num_episodes)
    ]


def schedule_hook(runner):
    return next(h for h in runner.hooks if isinstance(h, TopKSigmaDecayHook))


def train(runner):
    runner.train()
    return runner.model.sigmas


def test_one_process_layouts_of_sixteen_episodes_per_step_agree(tmp_path):
    # (batch, accumulation); 96 episodes, a decay every 24.
    layouts = [(1, 16), (4, 4), (16, 1), (2, 8)]
    runs = [
        train(probe_runner(tmp_path / f'{b}x{a}', b, a, max_epochs=2))
        for b, a in layouts
    ]
    for sigmas in runs:
        assert sigmas == runs[0]
    # Decays after the steps ending at episodes 32, 48, 80, 96.
    assert runs[0] == pytest.approx(expected_sigmas(96, 16))


def test_without_accumulation_sigma_decays_at_each_multiple(tmp_path):
    for batch in (1, 3):
        sigmas = train(
            probe_runner(tmp_path / str(batch), batch, 1, max_epochs=2))
        assert sigmas == pytest.approx(expected_sigmas(96, 1))
        assert sigmas[23:25] == pytest.approx([0.05, 0.04])


def test_eight_processes_of_two_match_one_accumulating_sixteen(tmp_path):
    one = train(probe_runner(tmp_path, 1, 16, max_epochs=2))
    model = SigmaProbe()
    hook = TopKSigmaDecayHook(gamma=0.8, interval_episodes=24, min_sigma=0.01)
    per_iter = StubRunner(model, batch_size=2, world_size=8).train(
        hook, 6, read=lambda: model.topk.sigma.item())
    assert [s for s in per_iter for _ in range(16)] == one
    assert hook.episodes == 96


def test_a_resume_with_another_layout_continues_the_schedule(tmp_path):
    straight = probe_runner(tmp_path / 'straight', 4, 4, max_epochs=2)
    train(straight)
    first = probe_runner(tmp_path / 'first', 4, 4, max_epochs=1)
    train(first)
    # 16 episodes per step in one iteration now, iteration 12 of 4 before.
    resumed = probe_runner(
        tmp_path / 'resumed',
        16,
        1,
        max_epochs=2,
        resume_from=str(tmp_path / 'first' / 'epoch_1.pth'))
    train(resumed)
    assert first.model.sigmas + resumed.model.sigmas == straight.model.sigmas
    checkpoint = torch.load(
        tmp_path / 'resumed' / 'epoch_2.pth', weights_only=False)
    assert checkpoint['meta']['TopKSigmaDecayHook'] == dict(
        episodes=96, steps=4)
    assert checkpoint['state_dict']['topk.sigma'].item() == pytest.approx(
        0.05 * 0.8**4)
    assert resumed.model.topk.sigma == straight.model.topk.sigma


def test_a_checkpoint_of_an_older_version_resumes_its_decays(tmp_path):
    # Older versions saved the count of steps applied as 'decays'.
    straight = probe_runner(tmp_path / 'straight', 4, 4, max_epochs=2)
    train(straight)
    train(probe_runner(tmp_path, 4, 4, max_epochs=1))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', weights_only=False)
    state = checkpoint['meta']['TopKSigmaDecayHook']
    state['decays'] = state.pop('steps')
    torch.save(checkpoint, tmp_path / 'old.pth')
    resumed = probe_runner(
        tmp_path / 'resumed',
        4,
        4,
        max_epochs=2,
        resume_from=str(tmp_path / 'old.pth'))
    assert train(resumed) == straight.model.sigmas[48:]


def test_resuming_without_the_episode_count_is_refused(tmp_path):
    train(probe_runner(tmp_path, 4, 4, max_epochs=1))
    checkpoint = torch.load(tmp_path / 'epoch_1.pth', weights_only=False)
    del checkpoint['meta']['TopKSigmaDecayHook']
    torch.save(checkpoint, tmp_path / 'old.pth')
    runner = probe_runner(
        tmp_path / 'resumed',
        4,
        4,
        max_epochs=2,
        resume_from=str(tmp_path / 'old.pth'))
    with pytest.raises(RuntimeError,
                       match=r"resuming at iteration 12 from a checkpoint "
                       r"without meta\['TopKSigmaDecayHook'\]"):
        runner.train()


def test_a_run_loading_weights_counts_from_zero(tmp_path):
    train(probe_runner(tmp_path, 4, 4, max_epochs=1))  # decays at 32, 48
    runner = probe_runner(
        tmp_path / 'loaded',
        4,
        4,
        max_epochs=1,
        load_from=str(tmp_path / 'epoch_1.pth'))
    sigmas = train(runner)
    assert sigmas == pytest.approx(
        [s * 0.8**2 for s in expected_sigmas(48, 16)])
    assert (schedule_hook(runner).episodes, schedule_hook(runner).steps) \
        == (48, 2)


@pytest.mark.slow
def test_two_processes_reach_the_sigma_of_one(tmp_path):
    """tools/train.py: 1 process accumulating 4 episodes per step against 2
    processes accumulating 2, 8 episodes per epoch, a decay every 6."""
    for name, accumulation in (('one', 4), ('two', 2)):
        config = Config(
            dict(
                probe_config(
                    batch_size=1,
                    accumulation=accumulation,
                    max_epochs=3,
                    num_episodes=8,
                    interval_episodes=6),
                custom_imports=dict(
                    imports=[
                        'vim_mmaction', 'tests.engine.hooks.schedule_probe'
                    ],
                    allow_failed_imports=False),
                randomness=dict(seed=0)))
        config.dump(tmp_path / f'{name}.py')
    run_tool(
        sys.executable,
        'tools/train.py',
        str(tmp_path / 'one.py'),
        '--work-dir',
        str(tmp_path / 'one'),
        env=dict(PYTHONPATH=str(REPO)))
    run_tool(
        'bash',
        'tools/dist_train.sh',
        str(tmp_path / 'two.py'),
        '2',
        '--work-dir',
        str(tmp_path / 'two'),
        env=dict(PORT=str(free_port()), PYTHON=sys.executable))
    for epoch, decays in ((1, 1), (2, 2), (3, 4)):
        states = [
            torch.load(
                tmp_path / name / f'epoch_{epoch}.pth', weights_only=False)
            for name in ('one', 'two')
        ]
        for state in states:
            assert state['meta']['TopKSigmaDecayHook'] == dict(
                episodes=8 * epoch, steps=decays)
            assert state['state_dict']['topk.sigma'].item() == \
                pytest.approx(0.05 * 0.8**decays)
        # Two processes: half the iterations for the same episodes.
        assert states[1]['meta']['iter'] == states[0]['meta']['iter'] // 2
