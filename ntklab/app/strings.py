"""Every user-visible string of the dashboards, in English and Chinese.

``STRINGS[key] = {"en": ..., "zh": ...}``; look up with :func:`tr`. Keys are grouped by a
prefix: ``common.`` (shared helpers), ``spectrum.``, ``frequency.``; a new dashboard adds
its own prefix. Strings may hold ``{name}`` fields filled by ``tr(key, lang, name=...)``.
Symbols (λ_i, v_i, t, α_i, Δ_k) follow SCIENCE.md and are the same in both languages.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

STRINGS: dict[str, dict[str, str]] = {
    # --- shared helpers -------------------------------------------------------------------
    "common.language": {"en": "Language", "zh": "语言"},
    "common.ready": {"en": "Ready ({seconds:.2f} s).", "zh": "完成（{seconds:.2f} 秒）。"},
    "common.working": {"en": "Computing: {what}…", "zh": "计算中：{what}…"},
    "common.error": {"en": "Could not update: {message}", "zh": "无法更新：{message}"},
    "common.internal_error": {
        "en": "Internal error ({kind}): {message}. The controls still work; try other values.",
        "zh": "内部错误（{kind}）：{message}。控件仍可使用，请换一组参数。",
    },
    "common.bad_query": {
        "en": "Link parameter {name}={value!r} is not valid ({reason}); "
              "using the default {default!r}.",
        "zh": "链接参数 {name}={value!r} 无效（{reason}），改用默认值 {default!r}。",
    },
    "common.unknown_query": {
        "en": "Link parameter {name!r} is not a control of this dashboard and was ignored.",
        "zh": "链接参数 {name!r} 不是本面板的控件，已忽略。",
    },
    "common.link": {"en": "Link to this setup", "zh": "此设置的链接"},
    "common.what_to_look_for": {"en": "What to look for", "zh": "看点"},
    # --- spectrum dashboard ---------------------------------------------------------------
    "spectrum.title": {"en": "NTK spectrum: eigenvalues and eigenvectors",
                       "zh": "NTK 谱：特征值与特征向量"},
    "spectrum.intro": {
        "en": "The Gram matrix K_ij = K(x_i, x_j) of the infinite-width NTK of a ReLU network, "
              "on n points of [−1, 1]. Its eigenvectors v_i are the directions gradient "
              "descent fits, fastest for the largest eigenvalue λ_i.",
        "zh": "无限宽 ReLU 网络的 NTK 在 [−1, 1] 上 n 个点的 Gram 矩阵 K_ij = K(x_i, x_j)。"
              "它的特征向量 v_i 是梯度下降拟合的方向，特征值 λ_i 越大，拟合越快。",
    },
    "spectrum.n": {"en": "points n", "zh": "样本数 n"},
    "spectrum.kind": {"en": "sampling", "zh": "采样"},
    "spectrum.kind.grid": {"en": "grid", "zh": "均匀网格"},
    "spectrum.kind.random": {"en": "random", "zh": "随机"},
    "spectrum.seed": {"en": "seed", "zh": "随机种子"},
    "spectrum.depth": {"en": "depth L", "zh": "深度 L"},
    "spectrum.s": {"en": "init scale s", "zh": "初始化尺度 s"},
    "spectrum.vecs": {"en": "show v_i, i =", "zh": "显示 v_i，i ="},
    "spectrum.working": {"en": "kernel and top eigenpairs", "zh": "核矩阵与前几个特征对"},
    "spectrum.decay.title": {"en": "Eigenvalue decay", "zh": "特征值衰减"},
    "spectrum.decay.x": {"en": "index i", "zh": "序号 i"},
    "spectrum.decay.caption": {
        "en": "λ_i falls by orders of magnitude: few directions are learned fast, most slowly. "
              "For depth 1 the init scale s multiplies every λ_i by s² and changes nothing else.",
        "zh": "λ_i 下降好几个数量级：少数方向学得快，大多数方向学得慢。"
              "深度为 1 时，初始化尺度 s 只把每个 λ_i 乘以 s²，其余不变。",
    },
    "spectrum.vectors.title": {"en": "Eigenvectors v_i over x", "zh": "特征向量 v_i（横轴 x）"},
    "spectrum.vectors.caption": {
        "en": "Larger λ_i (small i) means a smoother, lower-frequency v_i: the network learns "
              "low frequencies first.",
        "zh": "λ_i 越大（i 越小），v_i 越平滑、频率越低：网络先学低频。",
    },
    "spectrum.crossings.title": {"en": "Zero crossings of v_i", "zh": "v_i 的过零次数"},
    "spectrum.crossings.x": {"en": "index i", "zh": "序号 i"},
    "spectrum.crossings.y": {"en": "zero crossings", "zh": "过零次数"},
    "spectrum.crossings.count": {"en": "crossings", "zh": "过零次数"},
    "spectrum.crossings.caption": {
        "en": "The i-th eigenvector crosses zero about i − 1 times (dotted line): frequency grows "
              "with the index. Where λ_i reaches round-off the count becomes noise.",
        "zh": "第 i 个特征向量大约过零 i − 1 次（虚线）：频率随序号增加。"
              "当 λ_i 小到舍入误差量级时，计数变成噪声。",
    },
    "spectrum.topk_note": {
        "en": "n = {n}: showing the top {k} eigenpairs only (the rest would take seconds).",
        "zh": "n = {n}：只计算前 {k} 个特征对（全部计算需要几秒）。",
    },
    # --- frequency principle dashboard ----------------------------------------------------
    "frequency.title": {"en": "Frequency principle: low frequencies are learned first",
                        "zh": "频率原则：先学低频"},
    "frequency.intro": {
        "en": "The linearized (infinite-width) network, started at f_0 = 0, trained by gradient "
              "flow on n grid points. The residual along eigenvector v_i decays as "
              "α_i(t) = α_i(0)·e^(−λ_i t), with t = η·steps.",
        "zh": "线性化（无限宽）网络，从 f_0 = 0 出发，在 n 个网格点上做梯度流训练。"
              "残差在特征向量 v_i 方向的分量按 α_i(t) = α_i(0)·e^(−λ_i t) 衰减，t = η·步数。",
    },
    "frequency.target": {"en": "target", "zh": "目标函数"},
    "frequency.custom": {"en": "typed expression ↓", "zh": "自定义表达式 ↓"},
    "frequency.expr": {"en": "y(x) =", "zh": "y(x) ="},
    "frequency.expr_placeholder": {"en": "e.g. sin(3*x) + 0.5*abs(x)",
                                   "zh": "例如 sin(3*x) + 0.5*abs(x)"},
    "frequency.n": {"en": "points n", "zh": "样本数 n"},
    "frequency.t": {"en": "time t", "zh": "时间 t"},
    "frequency.working": {"en": "kernel and eigenbasis", "zh": "核矩阵与特征基"},
    "frequency.fit.title": {"en": "Fit at time t", "zh": "时间 t 的拟合"},
    "frequency.fit.target": {"en": "target y(x)", "zh": "目标 y(x)"},
    "frequency.fit.train": {"en": "training points", "zh": "训练点"},
    "frequency.fit.caption": {
        "en": "Slide t: the smooth outline of the target appears first, the fine wiggles last.",
        "zh": "拖动 t：目标的平滑轮廓先出现，细小的起伏最后才出现。",
    },
    "frequency.alpha.title": {"en": "Residual in the eigenbasis", "zh": "特征基下的残差"},
    "frequency.alpha.x": {"en": "index i (λ_i descending)", "zh": "序号 i（λ_i 从大到小）"},
    "frequency.alpha.caption": {
        "en": "Red: |α_i(t)|; grey circles: |α_i(0)|. Components with small i (large λ_i) "
              "vanish first; large i stay almost untouched for a long time.",
        "zh": "红点：|α_i(t)|；灰圈：|α_i(0)|。i 小（λ_i 大）的分量最先消失，"
              "i 大的分量很长时间几乎不变。",
    },
    "frequency.heat.title": {"en": "Relative error per frequency, log₁₀ Δ_k(t)",
                             "zh": "各频率的相对误差 log₁₀ Δ_k(t)"},
    "frequency.heat.y": {"en": "frequency k", "zh": "频率 k"},
    "frequency.heat.caption": {
        "en": "Δ_k = |ĥ_k − ŷ_k|/|ŷ_k| from the DFT of output and target on the grid. Low rows "
              "(low k) turn dark first: the frequency principle. The dotted line is the current t.",
        "zh": "Δ_k = |ĥ_k − ŷ_k|/|ŷ_k|，由网格上输出与目标的离散傅里叶变换得到。"
              "低频行（k 小）先变暗：这就是频率原则。虚线是当前的 t。",
    },
    "frequency.finite": {"en": "Train a finite net too", "zh": "同时训练有限宽网络"},
    "frequency.finite_missing": {
        "en": "Training a finite-width net needs the JAX training core (coming soon).",
        "zh": "训练有限宽网络需要 JAX 训练模块（即将加入）。",
    },
}


def tr(key: str, lang: str = "en", **fields) -> str:
    """The string ``key`` in ``lang`` (English if missing), formatted with ``fields``."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text
