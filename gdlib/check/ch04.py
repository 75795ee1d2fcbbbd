"""Self-checks of chapter 4, mini-batch gradient descent."""

import numpy as np

from .. import losses
from .core import Exercise, rounded


class _Batches(list):
    """The batch sizes a right answer has, shown as a sentence."""

    def __repr__(self) -> str:
        return f"shuffled batches of sizes {list(self)} that hold each of 0..{sum(self) - 1} once"


def _batch_sizes(n, batch_size, rng):
    return _Batches(min(batch_size, n - start) for start in range(0, n, batch_size))


def _partition(sizes, got) -> bool:
    try:
        got = [np.asarray(b) for b in got]
        everything = np.concatenate(got) if got else np.array([])
    except (TypeError, ValueError):
        return False
    in_order = np.arange(sum(sizes))
    return ([len(b) for b in got] == list(sizes) and np.array_equal(np.sort(everything), in_order)
            and (sum(sizes) < 8 or not np.array_equal(everything, in_order)))  # shuffled, not 0, 1, 2, ...


minibatches = Exercise(
    "minibatches",
    lambda rng: [{"n": n, "batch_size": b, "rng": np.random.default_rng(rng.integers(2**32))}
                 for n, b in [(10, 4), (12, 3), (9, 9), (20, 1), (100, 32)]],
    _batch_sizes,
    "shuffle the indices 0..n-1 once with rng, then cut them into slices of batch_size; "
    "keep the shorter last slice.",
    same=_partition)


def _minibatch_grad_cases(rng):
    cases = []
    for n, d, b in [(10, 2, 4), (12, 1, 5), (8, 3, 1)]:
        X, y, w = rounded(rng, (n, d), (n,), (d,))
        cases.append({"w": w, "X": X, "y": y, "idx": rng.permutation(n)[:b]})
    return cases


minibatch_grad = Exercise(
    "minibatch_grad", _minibatch_grad_cases, lambda w, X, y, idx: losses.mse.grad(w, X[idx], y[idx]),
    "use only the rows idx, and average over the batch, not over all N examples.")
