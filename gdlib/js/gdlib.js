// gdlib's math, ported line for line from gdlib/optimizers.py, schedules.py, surfaces.py and
// losses.py (mse), with the same names, so that a page computes exactly what gdlib computes.
// Every operation is done in the order numpy does it; tests/test_live_browser.py compares whole
// paths with gdlib's to a relative 1e-12. Vectors are plain arrays; nothing is changed in place.
// Steps are counted t = 1, 2, ... and g_t is the gradient at w_{t-1}.

function positive(x, name) {
  if (!(Number.isFinite(x) && x > 0)) throw new RangeError(`${name} must be a finite number > 0, got ${x}`);
  return x;
}

function decay(x, name) {
  if (!(x >= 0 && x < 1)) throw new RangeError(`${name} must be in [0, 1), got ${x}`);
  return x;
}

const zeros = (w) => w.map(() => 0);

// ---- optimizers.py: init(w) -> state, step(w, grad, state) -> [new_w, new_state] ----

// w_t = w_{t-1} - α g_t
export function gd(lr) {
  lr = positive(lr, "lr");
  const init = () => ({});
  const step = (w, grad, state) => [w.map((wi, i) => wi - lr * grad[i]), state];
  return { name: "gd", hyperparams: { lr }, init, step };
}

// v_t = β v_{t-1} + (1 - β) g_t,  v_0 = 0
// w_t = w_{t-1} - α v_t                         (nesterov: w_t = w_{t-1} - α (β v_t + (1 - β) g_t))
export function momentum(lr, beta = 0.9, { nesterov = false } = {}) {
  lr = positive(lr, "lr");
  beta = decay(beta, "beta");
  const init = (w) => ({ v: zeros(w) });
  const step = (w, grad, state) => {
    const v = state.v.map((vi, i) => beta * vi + (1 - beta) * grad[i]);
    const direction = nesterov ? v.map((vi, i) => beta * vi + (1 - beta) * grad[i]) : v;
    return [w.map((wi, i) => wi - lr * direction[i]), { v }];
  };
  return { name: "momentum", hyperparams: { lr, beta, ...(nesterov ? { nesterov: true } : {}) }, init, step };
}

// s_t = s_{t-1} + g_t^2,  s_0 = 0
// w_t = w_{t-1} - α g_t / (√s_t + ε)
export function adagrad(lr, eps = 1e-8) {
  lr = positive(lr, "lr");
  eps = positive(eps, "eps");
  const init = (w) => ({ s: zeros(w) });
  const step = (w, grad, state) => {
    const s = state.s.map((si, i) => si + grad[i] ** 2);
    return [w.map((wi, i) => wi - lr * grad[i] / (Math.sqrt(s[i]) + eps)), { s }];
  };
  return { name: "adagrad", hyperparams: { lr, eps }, init, step };
}

// s_t = β s_{t-1} + (1 - β) g_t^2,  s_0 = 0
// w_t = w_{t-1} - α g_t / (√s_t + ε)
export function rmsprop(lr, beta = 0.9, eps = 1e-8) {
  lr = positive(lr, "lr");
  beta = decay(beta, "beta");
  eps = positive(eps, "eps");
  const init = (w) => ({ s: zeros(w) });
  const step = (w, grad, state) => {
    const s = state.s.map((si, i) => beta * si + (1 - beta) * grad[i] ** 2);
    return [w.map((wi, i) => wi - lr * grad[i] / (Math.sqrt(s[i]) + eps)), { s }];
  };
  return { name: "rmsprop", hyperparams: { lr, beta, eps }, init, step };
}

// m_t = β1 m_{t-1} + (1 - β1) g_t,  s_t = β2 s_{t-1} + (1 - β2) g_t^2,  m_0 = s_0 = 0
// m̂_t = m_t / (1 - β1^t),  ŝ_t = s_t / (1 - β2^t)
// w_t = w_{t-1} - α m̂_t / (√ŝ_t + ε)
// bias_correction=false (not in gdlib; chapter 7 writes it out) uses m_t and s_t themselves.
export function adam(lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, { bias_correction = true } = {}) {
  lr = positive(lr, "lr");
  beta1 = decay(beta1, "beta1");
  beta2 = decay(beta2, "beta2");
  eps = positive(eps, "eps");
  const init = (w) => ({ m: zeros(w), s: zeros(w), t: 0 });
  const step = (w, grad, state) => {
    const t = state.t + 1;
    const m = state.m.map((mi, i) => beta1 * mi + (1 - beta1) * grad[i]);
    const s = state.s.map((si, i) => beta2 * si + (1 - beta2) * grad[i] ** 2);
    const m_hat = bias_correction ? m.map((mi) => mi / (1 - beta1 ** t)) : m;
    const s_hat = bias_correction ? s.map((si) => si / (1 - beta2 ** t)) : s;
    return [w.map((wi, i) => wi - lr * m_hat[i] / (Math.sqrt(s_hat[i]) + eps)), { m, s, t }];
  };
  const hyperparams = { lr, beta1, beta2, eps, ...(bias_correction ? {} : { bias_correction: false }) };
  return { name: "adam", hyperparams, init, step };
}

// ---- schedules.py: a learning rate α_t for each step t = 1, 2, ... ----

// α_t = α
export function constant(lr) {
  lr = positive(lr, "lr");
  return { name: "constant", lr, tau: null, rate: () => lr };
}

// α_t = α / (1 + (t - 1) / τ): halves after τ steps
export function inverse_time(lr, tau) {
  lr = positive(lr, "lr");
  tau = positive(tau, "tau");
  return { name: "inverse_time", lr, tau, rate: (t) => lr / (1 + (t - 1) / tau) };
}

// α_t = α / √(1 + (t - 1) / τ)
export function inverse_sqrt(lr, tau) {
  lr = positive(lr, "lr");
  tau = positive(tau, "tau");
  return { name: "inverse_sqrt", lr, tau, rate: (t) => lr / Math.sqrt(1 + (t - 1) / tau) };
}

// Run make(α_t, ...hyperparams) at step t: scheduled(gd, inverse_time(0.1, 100)).
export function scheduled(make, schedule, ...hyperparams) {
  const first = make(schedule.lr, ...hyperparams); // checks the hyperparameters now, not at the first step
  const init = (w) => ({ t: 0, inner: first.init(w) });
  const step = (w, grad, state) => {
    const t = state.t + 1;
    const [new_w, inner] = make(schedule.rate(t), ...hyperparams).step(w, grad, state.inner);
    return [new_w, { t, inner }];
  };
  return { name: first.name, hyperparams: { ...first.hyperparams, lr: schedule }, init, step };
}

// ---- surfaces.py: f(w) and ∇f(w) for w = [w[0], w[1]] ----

// f(w) = ½ wᵀ A w, ∇f(w) = A w; A has eigenvalues `curvatures` along axes turned by `angle` degrees.
export function quadratic(curvatures = [1.0, 10.0], angle = 0.0) {
  if (curvatures.length !== 2 || !curvatures.every((c) => c > 0)) {
    throw new RangeError(`curvatures must be two numbers > 0, got ${curvatures}`);
  }
  // as Python's math.radians
  const radians = angle * (Math.PI / 180);
  const c = Math.cos(radians), s = Math.sin(radians);
  const R = [[c, -s], [s, c]];
  const RD = R.map((row) => [row[0] * curvatures[0], row[1] * curvatures[1]]); // R @ diag(λ)
  const A = [0, 1].map((i) => [0, 1].map((j) => RD[i][0] * R[j][0] + RD[i][1] * R[j][1])); // (R diag(λ)) Rᵀ
  const value = (w) => 0.5 * (w[0] * A[0][0] * w[0] + w[0] * A[0][1] * w[1] + w[1] * A[1][0] * w[0] +
    w[1] * A[1][1] * w[1]);
  const grad = (w) => [w[0] * A[0][0] + w[1] * A[1][0], w[0] * A[0][1] + w[1] * A[1][1]]; // w @ A
  return { name: "quadratic", value, grad, xlim: [-2.0, 2.0], ylim: [-2.0, 2.0], minima: [[0.0, 0.0]],
    saddles: [], hessian: A };
}

// f(w) = (a - w[0])^2 + b (w[1] - w[0]^2)^2, minimum at (a, a^2)
export function rosenbrock(a = 1.0, b = 100.0) {
  const value = ([w0, w1]) => (a - w0) ** 2 + b * (w1 - w0 ** 2) ** 2;
  const grad = ([w0, w1]) => [-2 * (a - w0) - 4 * b * w0 * (w1 - w0 ** 2), 2 * b * (w1 - w0 ** 2)];
  return { name: "rosenbrock", value, grad, xlim: [-2.0, 2.0], ylim: [-1.0, 3.0], minima: [[a, a * a]], saddles: [] };
}

// f(w) = w[0]^2 + ¼ w[1]^4 - ½ w[1]^2: a saddle at the origin, minima at (0, ±1)
export function saddle() {
  const value = ([w0, w1]) => w0 ** 2 + 0.25 * w1 ** 4 - 0.5 * w1 ** 2;
  const grad = ([w0, w1]) => [2 * w0, w1 ** 3 - w1];
  return { name: "saddle", value, grad, xlim: [-1.5, 1.5], ylim: [-1.6, 1.6], minima: [[0.0, -1.0], [0.0, 1.0]],
    saddles: [[0.0, 0.0]] };
}

// The three-hump camel f(w) = 2w[0]^2 - 1.05 w[0]^4 + w[0]^6 / 6 + w[0] w[1] + w[1]^2
export function camel() {
  const value = ([w0, w1]) => 2 * w0 ** 2 - 1.05 * w0 ** 4 + w0 ** 6 / 6 + w0 * w1 + w1 ** 2;
  const grad = ([w0, w1]) => [4 * w0 - 4.2 * w0 ** 3 + w0 ** 5 + w1, w0 + 2 * w1];
  const [far, near] = [Math.sqrt(3.64), -Math.sqrt(3.64)].map((r) => Math.sqrt((4.2 + r) / 2));
  return { name: "camel", value, grad, xlim: [-2.2, 2.2], ylim: [-1.6, 1.6],
    minima: [[0.0, 0.0], [far, -far / 2], [-far, far / 2]], saddles: [[near, -near / 2], [-near, near / 2]] };
}

// ---- losses.py: the mean squared error of the linear model ŷ = X w ----
// X is {n, d, data} with the n rows of d numbers one after another in a Float64Array; y a Float64Array.

export const matrix = (n, d, data) => ({ n, d, data });

// Rows start..end-1 of X (numpy's X[start:end]), copied: for a batch of a few rows in a plain array, far
// cheaper than a typed array's view.
export const rows = (X, start, end) => matrix(end - start, X.d, X.data.slice(start * X.d, end * X.d));

// r = X @ w - y, one residual per example
function residuals(w, X, y) {
  const { n, d, data } = X, r = new Array(n); // plain arrays: small ones are far cheaper to make than typed ones
  for (let k = 0; k < n; k++) {
    let xw = 0;
    for (let i = 0; i < d; i++) xw += data[k * d + i] * w[i];
    r[k] = xw - y[k];
  }
  return r;
}

function dot(a, b) {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

// L(w) = (1/N) ||X w - y||^2,  ∇L(w) = (2/N) Xᵀ (X w - y)
export const mse = {
  name: "mse",
  value(w, X, y) {
    const r = residuals(w, X, y);
    return dot(r, r) / y.length;
  },
  value_and_grad(w, X, y) {
    const r = residuals(w, X, y), n = y.length, { d, data } = X;
    const Xt_r = new Array(d).fill(0); // Xᵀ r, each entry summed over the examples in order, as r @ r is
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < d; i++) Xt_r[i] += data[k * d + i] * r[k];
    }
    return [dot(r, r) / n, Xt_r.map((v) => (2 / n) * v)];
  },
};

// The least-squares weights of two columns: the solution of (Xᵀ X) w = Xᵀ y, by Cramer's rule.
export function least_squares(X, y) {
  const [[a, b], [, d]] = gram(X), [u, v] = xty(X, y);
  const det = a * d - b * b;
  return [(d * u - b * v) / det, (a * v - b * u) / det];
}

// Xᵀ y of two columns, each entry summed over the examples in order
const xty = (X, y) => [0, 1].map((i) => {
  let sum = 0;
  for (let k = 0; k < X.n; k++) sum += X.data[k * 2 + i] * y[k];
  return sum;
});

// Xᵀ X of two columns
export function gram(X) {
  const G = [[0, 0], [0, 0]];
  for (let k = 0; k < X.n; k++) {
    const x0 = X.data[2 * k], x1 = X.data[2 * k + 1];
    G[0][0] += x0 * x0;
    G[0][1] += x0 * x1;
    G[1][1] += x1 * x1;
  }
  G[1][0] = G[0][1];
  return G;
}

// L(w) of the mse on data as a surface: L(w) = wᵀ A w - 2 wᵀ b + c with A = XᵀX/N, b = Xᵀy/N, c = yᵀy/N
// (a grid costs O(grid) instead of O(grid N)); ∇L(w) = mse's gradient.
export function loss_surface(loss, X, y) {
  if (loss !== mse || X.d !== 2) throw new RangeError("loss_surface ports the mse of two weights only");
  const n = y.length;
  const A = gram(X).map((row) => row.map((v) => v / n));
  const b = xty(X, y).map((v) => v / n);
  const c = dot(y, y) / n;
  const best = least_squares(X, y);
  const value = (w) => (w[0] * A[0][0] * w[0] + w[0] * A[0][1] * w[1] + w[1] * A[1][0] * w[0] +
    w[1] * A[1][1] * w[1]) - 2 * dot(w, b) + c;
  const grad = (w) => loss.value_and_grad(w, X, y)[1];
  const hessian = A.map((row) => row.map((v) => 2 * v)); // H = (2/N) XᵀX
  return { name: `${loss.name} loss`, value, grad, minima: [best], saddles: [], hessian };
}
