"""Weights of the sampler's scoring layers generated from the support set."""
from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class TaskAdaptiveLearner(nn.Module):
    """Generates the temporal selector's last layer from a task feature.

    The task feature (the mean scan feature of an episode's support clips)
    is encoded to a Gaussian ``N(mu, exp(log_var))`` over a latent code;
    training draws a reparameterised sample, evaluation takes the mean. The
    code is decoded to the selector's last-layer weight, L2-normalised, and
    optionally to offsets of the spatial amplifier's saliency channel
    weights (zero at the start, so the saliency starts as without them).

    Args:
        in_channels (int): Channels d of the task feature.
        out_channels (int): Length of the generated selector weight (the
            selector's hidden width). Defaults to 512.
        latent_channels (int): Size of the latent code; the encoder is
            ``Linear(d -> 2 * latent_channels)``. Defaults to 64.
        saliency_channels (int): Length of the generated saliency channel
            weight offsets; 0 generates none. Defaults to 0.

    Shapes:
        task_feats: (tasks, d) -> weight: (tasks, out_channels),
        saliency offsets: (tasks, saliency_channels) or None.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 512,
                 latent_channels: int = 64,
                 saliency_channels: int = 0) -> None:
        super().__init__()
        self.out_channels = out_channels
        self.latent_channels = latent_channels
        self.saliency_channels = saliency_channels
        self.encoder = nn.Linear(in_channels, 2 * latent_channels)
        self.decoder = nn.Linear(latent_channels,
                                 out_channels + saliency_channels)
        with torch.no_grad():
            self.decoder.weight[out_channels:].zero_()
            self.decoder.bias[out_channels:].zero_()

    def forward(
        self, task_feats: torch.Tensor
    ) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
        """Selector weight and saliency offsets of every task."""
        mean, log_var = self.encoder(task_feats).chunk(2, dim=-1)
        code = mean
        if self.training:
            code = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
        out = self.decoder(code)
        weight = F.normalize(out[:, :self.out_channels], dim=-1)
        saliency = (out[:, self.out_channels:]
                    if self.saliency_channels else None)
        return weight, saliency
