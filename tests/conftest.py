"""Shared fixtures. Tests run torch on one thread: on this 2-core box more threads are slower."""

from __future__ import annotations

import torch

torch.set_num_threads(1)
