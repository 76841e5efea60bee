"""Clean end of a multi-process run."""
import gc

import torch.distributed as dist


def shutdown_distributed() -> None:
    """Free the DDP wrappers and the process group while Python is alive.

    Left to interpreter finalisation, the teardown of a DDP wrapper and its
    gloo process group aborts the process now and then ("terminate called
    without an active exception", exit code -6; seen on CPU with PyTorch
    2.14) after the run has finished and saved everything, and the launcher
    then reports the whole run as failed. mmengine's Runner sits in
    reference cycles, so a collection is needed to free its wrapper; the
    process group goes next.

    Call it after the last reference to the runner is gone, e.g. after the
    function that built and ran it returned.
    """
    gc.collect()
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
