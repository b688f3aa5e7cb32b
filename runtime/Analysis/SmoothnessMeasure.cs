namespace NfmGen.Analysis;

/// <summary>
/// What <see cref="SmoothnessAnalysis"/> measures of the map from the features h_k at a mix point to the logits, per
/// test point (docs/robustness.md gives the formulas and references). J_k = ∂logits/∂h_k; p the softmax.
/// </summary>
public enum SmoothnessMeasure
{
    /// <summary>‖J_k‖_F²: exact (one backward per class) for few classes, else by random projections (Hoffman et al., 2019).</summary>
    JacobianNorm,

    /// <summary>tr(J_kᵀ (diag(p) − ppᵀ) J_k): the form that additive noise's regulariser takes for the softmax cross-entropy.</summary>
    SoftmaxJacobian,

    /// <summary>The same with J_k·diag(h_k): the form that multiplicative noise's regulariser takes.</summary>
    MultiplicativeJacobian,

    /// <summary>
    /// tr(∇²_h L), the trace of the loss's Hessian in h_k, by Hutchinson's estimator with Rademacher probes (double
    /// backward). For a network that is piecewise linear in h_k (ReLU) in eval mode it equals <see cref="SoftmaxJacobian"/>.
    /// </summary>
    LossHessianTrace,

    /// <summary>
    /// ‖J_k(h + δ) − J_k(h)‖_F² / ‖δ‖² for a random step δ of <see cref="SmoothnessOptions.FiniteDifferenceStep"/> times
    /// ‖h‖: how fast the Jacobian changes, the curvature the theorem speaks of where the Hessian of a ReLU network is 0
    /// (squared, so that its projected estimate is unbiased).
    /// </summary>
    JacobianChange,
}
