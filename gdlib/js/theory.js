// What the chapters derive for a quadratic with Hessian H: its eigendirections and the rate ρ at
// which gradient descent and momentum shrink the error e_t = w_t - w* along each of them.

// Eigenvalues λ_1 <= λ_2 of a symmetric 2x2 matrix H and unit eigenvectors q_1, q_2.
export function eigen2(H) {
  const [[a, b], [, d]] = H;
  const mean = (a + d) / 2, half = Math.hypot((a - d) / 2, b);
  const values = [mean - half, mean + half];
  const vectors = values.map((lambda, i) => {
    const u = [b, lambda - a], v = [lambda - d, b]; // both solve (H - λI) q = 0; take the longer one
    const q = Math.hypot(...u) >= Math.hypot(...v) ? u : v;
    const size = Math.hypot(...q);
    if (size === 0) return i === 0 ? [1, 0] : [0, 1]; // H = λI: every direction is an eigendirection
    const sign = Math.abs(q[0]) >= Math.abs(q[1]) ? Math.sign(q[0]) : Math.sign(q[1]);
    return q.map((x) => (sign * x) / size);
  });
  return { values, vectors };
}

// The larger |r| of the roots of r^2 - T r + D = 0.
function radius(T, D) {
  const disc = T * T - 4 * D;
  return disc < 0 ? Math.sqrt(D) : (Math.abs(T) + Math.sqrt(disc)) / 2;
}

// Gradient descent along a direction of curvature λ: e_t = (1 - αλ) e_{t-1}, so ρ = |1 - αλ|.
export const gd_rate = (alpha, lambda) => Math.abs(1 - alpha * lambda);

// Momentum, v_t = β v_{t-1} + (1 - β) g_t and w_t = w_{t-1} - α v_t, along curvature λ: (v_t, e_t) =
// M (v_{t-1}, e_{t-1}) with M = [[β, (1-β)λ], [-αβ, 1 - α(1-β)λ]], whose eigenvalues r solve
// r^2 - (1 + β - α(1-β)λ) r + β = 0; ρ = max |r|. Nesterov's step gives
// M = [[β, (1-β)λ], [-αβ^2, 1 - α(1-β)(1+β)λ]]: r^2 - (1 + β - α(1-β)(1+β)λ) r + β(1 - α(1-β)λ) = 0.
export function momentum_rate(alpha, beta, lambda, nesterov = false) {
  const a = alpha * (1 - beta) * lambda;
  return nesterov ? radius(1 + beta - a * (1 + beta), beta * (1 - a)) : radius(1 + beta - a, beta);
}

// The rate along each curvature of a run's settings, or null where no linear theory applies.
export function rates(run, lambdas) {
  if (run.schedule !== "constant") return null;
  if (run.optimizer === "gd") return lambdas.map((lambda) => gd_rate(run.lr, lambda));
  if (run.optimizer === "momentum") {
    return lambdas.map((lambda) => momentum_rate(run.lr, run.beta, lambda, run.nesterov));
  }
  return null;
}

// q_i^T (w_t - w*) for every point of a path: the error along each eigendirection.
export const along = (path, w_star, vectors) =>
  vectors.map((q) => path.map((w) => q[0] * (w[0] - w_star[0]) + q[1] * (w[1] - w_star[1])));
