// The training loop of gdlib/train.py, ported line for line: minimize on a surface, fit on data.
// Both return a History like gdlib's. If the loss stops being finite or grows a million-fold over
// where it started, training stops and the history says where; the weights then are the last ones
// whose loss is finite, exactly as gdlib reports them.
import { matrix, rows } from "./gdlib.js";

export const EXPLODE = 1e6; // a loss this many times its start (or 1.0, if larger) counts as diverged

// ``steps`` steps of ``optimizer`` on a surface (value(w), grad(w)); losses[t] = f(w_t).
export function minimize(surface, w0, optimizer, steps = 100) {
  const value_and_grad = (w) => [surface.value(w), surface.grad(w)];
  return descend(null, value_and_grad, w0, null, null, optimizer, null, steps, null);
}

// Train w on X, y. batch_size null: full batch, one step per epoch; else ceil(N / B) steps per epoch,
// the last batch holding the N mod B leftovers. orders[e] is the permutation of the rows that
// gdlib.fit draws for epoch e from numpy.random.default_rng(seed) (gdlib.live exports them).
export function fit(loss, w0, X, y, optimizer, { batch_size = null, epochs = 1, orders = null } = {}) {
  if (batch_size !== null && !(orders && orders.length >= epochs)) {
    throw new RangeError(`fit needs the row order of each of the ${epochs} epochs for batch_size ${batch_size}`);
  }
  const value = (w, Xb, yb) => loss.value(w, Xb, yb);
  const value_and_grad = (w, Xb, yb) => loss.value_and_grad(w, Xb, yb);
  return descend(value, value_and_grad, w0, X, y, optimizer, batch_size, epochs, orders);
}

// One epoch's batches: all the data, or shuffled slices of batch_size rows.
function* batches(X, y, batch_size, order) {
  if (batch_size === null) {
    yield [X, y];
    return;
  }
  const Xs = new Array(X.data.length), ys = new Array(y.length); // plain arrays: cheap batches (rows())
  order.forEach((row, k) => { // one shuffled copy per epoch makes every batch a cheap slice
    for (let i = 0; i < X.d; i++) Xs[k * X.d + i] = X.data[row * X.d + i];
    ys[k] = y[row];
  });
  const shuffled = matrix(X.n, X.d, Xs);
  for (let start = 0; start < y.length; start += batch_size) {
    const end = Math.min(start + batch_size, y.length);
    yield [rows(shuffled, start, end), ys.slice(start, end)];
  }
}

// The loop shared by fit and minimize (_descend in gdlib/train.py).
function descend(value, value_and_grad, w, X, y, optimizer, batch_size, epochs, orders) {
  const full_batch = batch_size === null;
  const trajectory = [w], step_losses = [], losses = [];
  let state = optimizer.init(w);
  let cached = value_and_grad(w, X, y); // full batch: an epoch's final loss is the next step's
  losses[0] = cached[0];
  if (!Number.isFinite(losses[0])) throw new RangeError(`the loss at w0 is ${losses[0]}; start where it is finite`);
  const limit = EXPLODE * Math.max(losses[0], 1.0);
  let w_prev = w, k = 0, epoch = 0, bad = null; // bad: the loss that blew up
  while (epoch < epochs && bad === null) {
    for (const [Xb, yb] of batches(X, y, batch_size, full_batch ? null : orders[epoch])) {
      const [loss, g] = full_batch ? cached : value_and_grad(w, Xb, yb);
      if (!(loss <= limit)) { // also catches NaN
        bad = loss;
        break;
      }
      w_prev = w;
      [w, state] = optimizer.step(w, g, state);
      step_losses[k] = loss;
      k += 1;
      trajectory[k] = w;
    }
    if (bad === null) {
      if (full_batch) cached = value_and_grad(w, X, y);
      epoch += 1;
      losses[epoch] = full_batch ? cached[0] : value(w, X, y);
      if (!(losses[epoch] <= limit)) bad = losses[epoch];
    }
  }
  const blew_up_at = k;
  if (bad !== null && !Number.isFinite(bad) && k > 0) {
    [w, k] = [w_prev, k - 1]; // step back to the last weights with a finite loss
    epoch -= Number(!Number.isFinite(losses[epoch]));
  }
  return {
    w, losses: losses.slice(0, epoch + 1), step_losses: step_losses.slice(0, k), trajectory: trajectory.slice(0, k + 1),
    diverged: bad !== null, diverged_step: bad !== null ? blew_up_at : null,
  };
}
