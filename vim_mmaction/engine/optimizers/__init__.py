from .group_clip_optim_wrapper import (GroupClipAmpOptimWrapper,
                                       GroupClipMixin, GroupClipOptimWrapper)

__all__ = [
    'GroupClipAmpOptimWrapper', 'GroupClipMixin', 'GroupClipOptimWrapper'
]
