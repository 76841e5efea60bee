"""Global random states in checkpoints, for resumed runs that are exact."""
from typing import Any, Dict, List, Optional

import torch
from mmaction.registry import HOOKS
from mmengine.dist import all_gather_object, get_rank
from mmengine.hooks import Hook
from mmengine.logging import MMLogger

from ...utils.rng_state import get_rng_state, set_rng_state


@HOOKS.register_module()
class RNGStateHook(Hook):
    """Saves the global random states of every process (python ``random``,
    numpy, torch CPU and CUDA) in checkpoints and restores them on resume.

    Dropout, the perturbed top-k's noise and the learner's code draw from
    torch's global generator, and the main process's draws also give data
    loaders their base seed; a resumed run that restarts them from the seed
    diverges from an uninterrupted one. With this hook (and
    :class:`DataWorkerSeedHook` for the data workers) a run resumed at an
    epoch boundary draws what the uninterrupted run drew, so on the same
    machine both end with identical weights.

    - The states are taken at the end of each training epoch, before the
      checkpoint of that epoch is written, by every process (gathered to
      rank 0, which writes checkpoints) into
      ``meta['RNGStateHook'] = dict(world_size=n, states=[rank 0, ...])``.
      A checkpoint written elsewhere (by iteration) takes the states of
      that moment; in a multi-process run only rank 0's, and the other
      ranks then resume from their seed, with a warning.
    - Validation leaves the states as it found them: a run validates after
      writing its checkpoint, and a resumed run must not miss its draws.
      Training then draws the same with or without validation.
    - On resume each process restores its own state just before training
      continues. A checkpoint without states, or from another number of
      processes, resumes from the seed with a warning. ``load_from`` (a new
      run from weights) restores nothing.

    Exact means bit-identical where the computation itself is
    deterministic: on CUDA, only with ``--deterministic`` (cuDNN) and the
    deterministic algorithms torch asks for.
    """

    priority = 'LOW'  # before CheckpointHook (VERY_LOW) saves the epoch

    def __init__(self) -> None:
        self._states: Optional[List[Dict[str, Any]]] = None
        self._states_iter = -1  # the iteration self._states were taken at
        self._checkpoint_meta: Optional[dict] = None
        self._before_val: Optional[Dict[str, Any]] = None

    def before_train(self, runner) -> None:
        """Restore this process's saved state when resuming."""
        if runner.iter == 0:  # a new run, also one that loaded weights
            return
        logger = MMLogger.get_current_instance()
        meta, rank = self._checkpoint_meta, get_rank()
        if meta is None:
            logger.warning(
                f'{type(self).__name__}: the checkpoint holds no random '
                f'states (saved without this hook); resuming at iteration '
                f'{runner.iter} from the seed, so this run draws other '
                f'random numbers than an uninterrupted one')
            return
        if meta['world_size'] != runner.world_size:
            logger.warning(
                f'{type(self).__name__}: the checkpoint holds the random '
                f'states of {meta["world_size"]} processes, this run has '
                f'{runner.world_size}; resuming from the seed')
            return
        if rank >= len(meta['states']):
            logger.warning(
                f'{type(self).__name__}: the checkpoint holds no random '
                f'state of rank {rank} (written mid-epoch); this rank '
                f'resumes from the seed')
            return
        state = meta['states'][rank]
        if ('cuda' in state) != torch.cuda.is_available():
            logger.warning(
                f'{type(self).__name__}: the checkpoint was written '
                f'{"with" if "cuda" in state else "without"} CUDA and this '
                f'run has {"it" if torch.cuda.is_available() else "none"}; '
                f'restoring the CPU random states only')
        set_rng_state(state)

    def after_train_epoch(self, runner) -> None:
        """Take every process's state for the checkpoint of this epoch."""
        state = get_rng_state()
        self._states = (
            all_gather_object(state) if runner.world_size > 1 else [state])
        self._states_iter = runner.iter

    def before_val(self, runner) -> None:
        self._before_val = get_rng_state()

    def after_val(self, runner) -> None:
        """Undo the draws of validation (e.g. its data loader's seed)."""
        set_rng_state(self._before_val)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Write the states of the epoch's end, or of now (rank 0 only)."""
        states = self._states
        if self._states_iter != runner.iter:
            states = [get_rng_state()]
        checkpoint['meta'][type(self).__name__] = dict(
            world_size=runner.world_size, states=states)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Keep the saved states for :meth:`before_train` (resume only)."""
        self._checkpoint_meta = checkpoint.get('meta',
                                               {}).get(type(self).__name__)
