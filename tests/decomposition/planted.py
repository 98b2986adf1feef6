"""Networks with known structure for the decomposition tests (SCIENCE.md section 4.1).

``planted_two_task``: two independent sub-networks inside one hidden layer. Task A reads
input half A, task B input half B; block-diagonal weight masks keep module A's units (the
first ``width`` hidden units) wired only to half A and head A, module B's to half B and
head B. Targets are (n, 2): one binary label per task, the output is two 2-logit heads.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


class MaskedLinear(nn.Linear):
    """A Linear whose weight is multiplied by a fixed 0/1 mask in every forward pass."""

    def __init__(self, mask: torch.Tensor, bias: bool = True) -> None:
        super().__init__(mask.shape[1], mask.shape[0], bias=bias)
        self.register_buffer("mask", mask)
        with torch.no_grad():
            self.weight.mul_(mask)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


def _block(rows: tuple[int, int], cols: tuple[int, int]) -> torch.Tensor:
    out = torch.zeros(rows[0] + rows[1], cols[0] + cols[1])
    out[: rows[0], : cols[0]] = 1.0
    out[rows[0] :, cols[0] :] = 1.0
    return out


@dataclass(frozen=True)
class TwoTaskData:
    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


def two_task_data(n: int, d: int, seed: int) -> TwoTaskData:
    """x ~ N(0, I_2d); task A: sign(x_1 * x_2) on half A (an XOR), task B the same on half B."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(2 * n, 2 * d, generator=gen)
    y = torch.stack([(x[:, 0] * x[:, 1] > 0).long(), (x[:, d] * x[:, d + 1] > 0).long()], dim=1)
    return TwoTaskData(x[:n], y[:n], x[n:], y[n:])


def planted_two_task(d: int = 4, width: int = 16, *, masked: bool = True) -> nn.Sequential:
    """Linear(2d, 2*width) -> ReLU -> Linear(2*width, 4); block-diagonal when ``masked``."""
    if masked:
        first: nn.Linear = MaskedLinear(_block((width, width), (d, d)))
        last: nn.Linear = MaskedLinear(_block((2, 2), (width, width)))
    else:
        first, last = nn.Linear(2 * d, 2 * width), nn.Linear(2 * width, 4)
    return nn.Sequential(first, nn.ReLU(), last)


def two_task_loss(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    ce = nn.functional.cross_entropy
    return ce(out[:, :2], y[:, 0]) + ce(out[:, 2:], y[:, 1])


def train(model: nn.Module, data: TwoTaskData, steps: int = 400, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(steps):
        opt.zero_grad()
        two_task_loss(model(data.train_x), data.train_y).backward()
        opt.step()
    return model


def idle_module_net(d: int = 4, width: int = 16) -> nn.Sequential:
    """Three input thirds and three hidden blocks; heads A and B read blocks A and B, and
    block C (units 2*width..3*width-1, reading input third C) feeds nothing: a module whose
    removal changes nothing."""
    first = MaskedLinear(torch.block_diag(*[torch.ones(width, d)] * 3))
    last_mask = torch.zeros(4, 3 * width)
    last_mask[:2, :width] = 1.0
    last_mask[2:, width : 2 * width] = 1.0
    return nn.Sequential(first, nn.ReLU(), MaskedLinear(last_mask))


def idle_data(n: int, d: int, seed: int) -> TwoTaskData:
    """Inputs of 3d features; tasks A and B as in ``two_task_data``, the last third unused."""
    base = two_task_data(n, d, seed)
    gen = torch.Generator().manual_seed(seed + 1000)
    extra = torch.randn(2 * n, d, generator=gen)
    return TwoTaskData(
        torch.cat([base.train_x, extra[:n]], dim=1),
        base.train_y,
        torch.cat([base.test_x, extra[n:]], dim=1),
        base.test_y,
    )


def trained_planted(
    seed: int, masked: bool = True, steps: int = 400
) -> tuple[nn.Module, TwoTaskData]:
    torch.manual_seed(seed)
    data = two_task_data(2000, 4, seed)
    return train(planted_two_task(masked=masked), data, steps, seed), data


def truth(width: int = 16) -> list[int]:
    return [0] * width + [1] * width
