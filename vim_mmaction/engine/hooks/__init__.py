from .topk_sigma_decay_hook import TopKSigmaDecayHook

__all__ = ['TopKSigmaDecayHook']
