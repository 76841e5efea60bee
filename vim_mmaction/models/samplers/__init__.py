from .uniform_frame_sampler import UniformFrameSampler

__all__ = ['UniformFrameSampler']
