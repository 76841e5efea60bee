"""Gradient-norm clipping per named module, with per-module gradient norms
in the training log."""
import math
from typing import Dict, List, Optional, Sequence

import torch
from mmaction.registry import OPTIM_WRAPPERS
from mmengine.model import is_model_wrapper
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import nn


def in_module(name: str, prefix: str) -> bool:
    """Whether the parameter ``name`` lies in the module (or is the
    parameter) named ``prefix``: ``'sampler'`` holds ``'sampler.x'`` but not
    ``'sampler2.x'``."""
    return name == prefix or name.startswith(prefix + '.')


def norm_clip_kwargs(cfg: dict, where: str) -> dict:
    """The arguments of ``clip_grad_norm_`` in a clipping config.

    Args:
        cfg (dict): ``max_norm`` and optionally ``norm_type``,
            ``error_if_nonfinite``, ``foreach``, ``type='norm'``.
        where (str): Names the config in errors.

    Returns:
        dict: ``cfg`` without ``type``.
    """
    kwargs = dict(cfg)
    kind = kwargs.pop('type', 'norm')
    if kind != 'norm':
        raise ValueError(
            f"{where}: clipping per group is by norm, got type='{kind}' "
            '(value clipping acts on each element alone: use OptimWrapper)')
    if 'max_norm' not in kwargs:
        raise ValueError(f'{where}: expected a max_norm, got {cfg}')
    return kwargs


def membership(rows: List[List[int]], num_params: int) -> torch.Tensor:
    """(len(rows), num_params) 0/1 matrix: times a vector of squared
    parameter norms, it gives the squared norm of each row's parameters."""
    masks = torch.zeros(len(rows), num_params)
    for row, members in enumerate(rows):
        masks[row, members] = 1.0
    return masks


class GroupClipMixin:
    """Clips the gradient norm of named modules separately, and logs the
    gradient norm of each module before clipping.

    Mixed into an mmengine optimizer wrapper in front of it (see
    :class:`GroupClipOptimWrapper`, :class:`GroupClipAmpOptimWrapper`), it
    replaces the wrapper's ``_clip_grad``, which mmengine calls once per
    optimizer step: on the gradient accumulated over ``accumulative_counts``
    micro-batches, after DDP's all-reduce (identical on every rank, so no
    extra communication) and after AMP's unscaling.

    Every parameter whose name lies under a key of ``clip_grad_groups`` is
    clipped by the norm of that group alone (the longest matching key wins,
    so ``sampler.scan_net`` may have its own limit inside ``sampler``); the
    remaining parameters are clipped together by ``clip_grad``, as the
    wrapper alone would. The learning rate of a group is mmengine's
    ``paramwise_cfg=dict(custom_keys=...)`` business.

    Logged through the MessageHub at every optimizer step (averaged over the
    logger's window like mmengine's own ``grad_norm``): ``grad_norm/<module>``
    for each module of ``log_modules`` and ``grad_norm`` for all parameters,
    L2 norms before clipping; ``grad_norm_clipped``, the L2 norm of all
    gradients after clipping.

    Parameter names are bound by ``initialize_count_status(model, ...)``,
    which the Runner calls before training (call it yourself without one).

    Args:
        clip_grad_groups (dict[str, dict], optional): Module name -> the
            arguments of ``torch.nn.utils.clip_grad_norm_`` (``max_norm``,
            optionally ``norm_type``, ...). Defaults to None (no group).
        log_modules (Sequence[str], optional): Modules whose gradient norms
            are logged. Defaults to None: each top-level module and each
            child of a ``clip_grad_groups`` module that has parameters in the
            optimizer.
        clip_grad (dict, optional): Norm clipping of the other parameters,
            as for mmengine's ``OptimWrapper`` (value clipping is refused).
            Defaults to None (not clipped).
        **kwargs: The wrapper's other arguments (``optimizer``,
            ``accumulative_counts``, AMP's ``loss_scale``, ...).

    Example::

        optim_wrapper = dict(
            type='GroupClipOptimWrapper',
            optimizer=dict(type='SGD', lr=1e-3, momentum=0.9),
            clip_grad=dict(max_norm=20),
            clip_grad_groups=dict(sampler=dict(max_norm=5.0)),
            paramwise_cfg=dict(custom_keys=dict(sampler=dict(lr_mult=10.0))))
    """

    def __init__(self,
                 *,
                 clip_grad_groups: Optional[Dict[str, dict]] = None,
                 log_modules: Optional[Sequence[str]] = None,
                 clip_grad: Optional[dict] = None,
                 **kwargs) -> None:
        self.clip_grad_groups = {
            prefix: norm_clip_kwargs(cfg, f'clip_grad_groups[{prefix!r}]')
            for prefix, cfg in (clip_grad_groups or {}).items()
        }
        self.log_modules = None if log_modules is None else tuple(log_modules)
        rest = norm_clip_kwargs(clip_grad, 'clip_grad') if clip_grad else None
        # mmengine's step() calls _clip_grad only when clip_grad is set: an
        # infinite max_norm keeps that call (groups, log) and clips nothing.
        super().__init__(clip_grad=rest or dict(max_norm=math.inf), **kwargs)
        self._params: Optional[List[nn.Parameter]] = None

    def initialize_count_status(self, model: nn.Module, init_counts: int,
                                max_counts: int) -> None:
        """Binds the parameter names of ``model`` to the optimizer's
        parameters, then does what the wrapper does.

        Args:
            model (nn.Module): The trained model, possibly in a DDP wrapper.
            init_counts (int): The initial value of the inner count.
            max_counts (int): The maximum value of the inner count.

        Raises:
            ValueError: A key of ``clip_grad_groups`` or an entry of
                ``log_modules`` matches no trainable parameter.
        """
        super().initialize_count_status(model, init_counts, max_counts)
        self._bind(model.module if is_model_wrapper(model) else model)

    def _bind(self, model: nn.Module) -> None:
        names = {param: name for name, param in model.named_parameters()}
        params = [
            param for group in self.optimizer.param_groups
            for param in group['params'] if param.requires_grad
        ]
        if any(param not in names for param in params):
            raise ValueError('the optimizer holds parameters that are not in '
                             f'the model {type(model).__name__}')
        param_names = [names[param] for param in params]
        top_level = ', '.join(name for name, _ in model.named_children())

        def members(prefix: str, option: str) -> List[int]:
            found = [
                i for i, name in enumerate(param_names)
                if in_module(name, prefix)
            ]
            if not found:
                raise ValueError(
                    f'{option}: {prefix!r} matches no trainable parameter of '
                    f'{type(model).__name__}, whose top-level modules are: '
                    f'{top_level}')
            return found

        # Longest key last, so that it takes its parameters from a shorter
        # key that contains it.
        owner: List[Optional[str]] = [None] * len(params)
        for prefix in sorted(self.clip_grad_groups, key=len):
            for i in members(prefix, 'clip_grad_groups'):
                owner[i] = prefix
        clip_kwargs = list(self.clip_grad_groups.values())
        clip_members = [[i for i, key in enumerate(owner) if key == prefix]
                        for prefix in self.clip_grad_groups]
        if not math.isinf(self.clip_grad_kwargs['max_norm']):
            clip_kwargs.append(self.clip_grad_kwargs)
            clip_members.append(
                [i for i, key in enumerate(owner) if key is None])
        self._clip_groups = list(zip(clip_kwargs, clip_members))
        self._clip_masks = membership(clip_members, len(params))

        log_modules = self.log_modules
        if log_modules is None:
            modules = dict(model.named_modules())
            log_modules = [name for name, _ in model.named_children()] + [
                f'{prefix}.{child}'
                for prefix in self.clip_grad_groups if prefix in modules
                for child, _ in modules[prefix].named_children()
            ]
            log_modules = [
                name for name in dict.fromkeys(log_modules) if any(
                    in_module(param, name) for param in param_names)
            ]
        self._log_names = list(log_modules)
        self._log_masks = membership(
            [members(name, 'log_modules') for name in log_modules],
            len(params))
        self._params = params

    def _clip_grad(self) -> None:
        """Clips each group by its own norm, then logs the norms."""
        if self._params is None:
            raise RuntimeError(
                f'{type(self).__name__}: call initialize_count_status(model, '
                '...) before the first step (the Runner does), so that the '
                'groups know their parameters')
        grads = [param.grad for param in self._params]
        present = [grad for grad in grads if grad is not None]
        if not present:
            return
        device = present[0].device
        zero = torch.zeros((), device=device)
        # (parameters,) squared L2 norms of the gradients before clipping.
        squares = torch.stack([
            zero if grad is None else torch.linalg.vector_norm(
                grad, dtype=torch.float32).to(device).square()
            for grad in grads
        ])
        self._clip_masks = self._clip_masks.to(device)
        self._log_masks = self._log_masks.to(device)
        # (parameters,) the square of the factor each gradient is scaled by;
        # applied per parameter, not subtracted from the total, whose float32
        # cancellation is far above rounding when one group's norm is large.
        scales = torch.ones_like(squares)
        for (kwargs, members), mask in zip(self._clip_groups,
                                           self._clip_masks.bool()):
            group = [self._params[i] for i in members if grads[i] is not None]
            if not group:
                continue
            norm = torch.nn.utils.clip_grad_norm_(group, **kwargs)
            # The factor clip_grad_norm_ applied to the group's gradients.
            factor = (kwargs['max_norm'] / (norm + 1e-6)).clamp(max=1.0)
            scales = torch.where(mask, factor.square(), scales)
        norms = torch.cat([
            self._log_masks @ squares,
            squares.sum()[None], (squares * scales).sum()[None]
        ]).sqrt().tolist()  # the one device-to-host copy
        keys = [f'grad_norm/{name}' for name in self._log_names]
        for key, value in zip(keys + ['grad_norm', 'grad_norm_clipped'],
                              norms):
            self.message_hub.update_scalar(f'train/{key}', value)


@OPTIM_WRAPPERS.register_module()
class GroupClipOptimWrapper(GroupClipMixin, OptimWrapper):
    """mmengine's :class:`OptimWrapper` with clipping per named module and
    per-module gradient norms in the log; see :class:`GroupClipMixin`."""


@OPTIM_WRAPPERS.register_module()
class GroupClipAmpOptimWrapper(GroupClipMixin, AmpOptimWrapper):
    """mmengine's :class:`AmpOptimWrapper` (mixed precision) with clipping
    per named module on the unscaled gradients and per-module gradient norms
    in the log; see :class:`GroupClipMixin`."""
