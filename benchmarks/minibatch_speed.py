"""Benchmark: seed 004's mini-batch experiment with gdlib.fit against a bare NumPy loop.

1000 points of y = 2 + 3x + 0.1 z, a line through them by plain gradient
descent with lr = 0.01, batch sizes 1000, 1 and 128, 1000 epochs each.

Targets (foundation issue): gdlib.fit within 2x of the bare NumPy loop, and at
least 50x faster than the article's PyTorch DataLoader loop. ``--torch`` times
that loop for a few epochs (if torch is installed) and extrapolates to 1000.

    python benchmarks/minibatch_speed.py [--epochs 1000] [--torch]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import gdlib

BATCH_SIZES = (1000, 1, 128)
LR = 0.01


def bare_numpy(X, y, batch_size, epochs, seed=0):
    """The same updates written as the shortest honest NumPy loop."""
    rng = np.random.default_rng(seed)
    n = len(y)
    w = np.zeros(X.shape[1])
    epoch_losses = []
    for _ in range(epochs):
        order = rng.permutation(n)
        Xs, ys = X[order], y[order]
        for start in range(0, n, batch_size):
            Xb, yb = Xs[start:start + batch_size], ys[start:start + batch_size]
            r = Xb @ w - yb
            w = w - LR * (2 / len(yb)) * (Xb.T @ r)
        r = X @ w - y
        epoch_losses.append(r @ r / n)
    return w, epoch_losses


def with_gdlib(X, y, batch_size, epochs):
    batch = None if batch_size == len(y) else batch_size
    h = gdlib.fit(gdlib.mse, np.zeros(X.shape[1]), X, y, gdlib.gd(LR), batch_size=batch, epochs=epochs)
    return h.w, h.losses


def pytorch_dataloader(X, y, batch_size, epochs):
    """The article's loop: nn.Linear, MSELoss, optim.SGD and a shuffling DataLoader."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    data = TensorDataset(torch.tensor(X[:, 1:], dtype=torch.float32), torch.tensor(y[:, None], dtype=torch.float32))
    model = torch.nn.Linear(1, 1)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    criterion = torch.nn.MSELoss()
    loader = DataLoader(data, batch_size=batch_size, shuffle=True)
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            opt.step()


def timed(fn, *args):
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--torch", action="store_true", help="also time the PyTorch DataLoader loop")
    parser.add_argument("--torch-epochs", type=int, default=5)
    args = parser.parse_args()

    X, y = gdlib.data.line_1000(seed=42)
    n = len(y)
    print(f"seed 004 experiment: N={n}, lr={LR}, {args.epochs} epochs per batch size\n")
    print(f"{'batch size':>10} {'steps':>9} {'numpy s':>9} {'gdlib s':>9} {'ratio':>6} {'gdlib steps/s':>14}")
    totals = {"numpy": 0.0, "gdlib": 0.0}
    for b in BATCH_SIZES:
        steps = args.epochs * -(-n // b)
        t_np = timed(bare_numpy, X, y, b, args.epochs)
        t_gd = timed(with_gdlib, X, y, b, args.epochs)
        totals["numpy"] += t_np
        totals["gdlib"] += t_gd
        print(f"{b:>10} {steps:>9} {t_np:>9.2f} {t_gd:>9.2f} {t_gd / t_np:>6.2f} {steps / t_gd:>14,.0f}")
    ratio = totals["gdlib"] / totals["numpy"]
    print(f"\nall three runs: bare numpy {totals['numpy']:.2f} s, gdlib.fit {totals['gdlib']:.2f} s "
          f"(ratio {ratio:.2f}; target <= 2)")

    if args.torch:
        t = sum(timed(pytorch_dataloader, X, y, b, args.torch_epochs) for b in BATCH_SIZES)
        full = t * args.epochs / args.torch_epochs
        print(f"PyTorch DataLoader loop: {t:.2f} s for {args.torch_epochs} epochs of the three runs, "
              f"about {full:.0f} s for {args.epochs}; gdlib.fit is {full / totals['gdlib']:.0f}x faster "
              "(target >= 50x)")


if __name__ == "__main__":
    main()
