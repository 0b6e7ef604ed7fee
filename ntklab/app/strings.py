"""Every user-visible string of the dashboards, in English and Chinese.

``STRINGS[key] = {"en": ..., "zh": ...}``; look up with :func:`tr`. Keys are grouped by a
prefix: ``common.`` (shared helpers), ``spectrum.``, ``frequency.``; a new dashboard adds
its own prefix. Strings may hold ``{name}`` fields filled by ``tr(key, lang, name=...)``.
Symbols (λ_i, v_i, t, α_i, Δ_k) follow docs/science.md and are the same in both languages.
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
    "common.link": {"en": "Link to the setup shown", "zh": "当前图像所用设置的链接"},
    "common.at_these_settings": {"en": "Measured at these settings", "zh": "本设置下的实测"},
    "common.stale": {
        "en": "The new settings were not computed (see the message above). The greyed plots "
              "below still show the previous ones: {settings}.",
        "zh": "新设置没有被计算（见上方消息）。下面变灰的图仍是之前的设置：{settings}。",
    },
    # refusals with their numbers (ntklab.analytic.validate.Refusal.key)
    "error.work": {
        "en": "this would take about {seconds:.0f} s here (work {work:.2g}, over the budget "
              "{budget:.2g} of one view); use fewer steps, points or a smaller width",
        "zh": "这次计算在本机约需 {seconds:.0f} 秒（工作量 {work:.2g}，超过单个视图的上限 "
              "{budget:.2g}）；请减少步数、样本数或宽度",
    },
    "error.memory": {
        "en": "this would need about {need_gib:.2f} GiB of memory, over the {budget_gib:.2f} "
              "GiB budget; use fewer points or a smaller width",
        "zh": "这需要约 {need_gib:.2f} GiB 内存，超过 {budget_gib:.2f} GiB 的上限；"
              "请减少样本数或宽度",
    },
    "error.int_range": {"en": "{name} must be an integer in [{lo:g}, {hi:g}]",
                        "zh": "{name} 必须是 [{lo:g}, {hi:g}] 内的整数"},
    "error.number_range": {"en": "{name} must be a number in [{lo:g}, {hi:g}]",
                           "zh": "{name} 必须是 [{lo:g}, {hi:g}] 内的数"},
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
        "en": "The eigenvalues λ_i of K, largest first, on a log scale. Gradient descent fits "
              "the direction v_i at the rate λ_i, so their spread is the spread of learning "
              "speeds. For depth 1 the kernel is s² times the kernel at s = 1: the init scale s "
              "multiplies every λ_i by s² and changes nothing else.",
        "zh": "K 的特征值 λ_i，从大到小，纵轴为对数刻度。梯度下降以速率 λ_i 拟合方向 v_i，"
              "所以 λ_i 的跨度就是学习速度的跨度。深度为 1 时，核是 s = 1 时的 s² 倍："
              "初始化尺度 s 只把每个 λ_i 乘以 s²，其余不变。",
    },
    "spectrum.vectors.title": {"en": "Eigenvectors v_i over x", "zh": "特征向量 v_i（横轴 x）"},
    "spectrum.vectors.caption": {
        "en": "The eigenvectors v_i chosen above, over x (i = 1 has the largest λ_i). Gradient "
              "descent fits v_i at the rate λ_i: if the large λ_i belong to smooth v_i, a "
              "network learns low frequencies first (see the Frequency principle dashboard).",
        "zh": "上面所选的特征向量 v_i，横轴为 x（i = 1 的 λ_i 最大）。梯度下降以速率 λ_i 拟合 v_i："
              "如果大的 λ_i 属于平滑的 v_i，网络就先学低频（见“频率原则”面板）。",
    },
    "spectrum.crossings.title": {"en": "Zero crossings of v_i", "zh": "v_i 的过零次数"},
    "spectrum.crossings.x": {"en": "index i", "zh": "序号 i"},
    "spectrum.crossings.y": {"en": "zero crossings", "zh": "过零次数"},
    "spectrum.crossings.count": {"en": "crossings", "zh": "过零次数"},
    "spectrum.crossings.caption": {
        "en": "How many times each computed v_i changes sign along x, against i, beside the "
              "line i − 1; circles mark the v_i shown. A computed eigenvector is only as "
              "good as the arithmetic: a count is noise if changing K by round-off "
              "(1e-13·λ_1) changes it, or if its λ_i lies closer than that to a neighbour.",
        "zh": "每个计算出的 v_i 沿 x 变号的次数随 i 的变化，旁边是直线 i − 1；"
              "圆圈标出所显示的 v_i。计算出的特征向量只能和算术一样准："
              "若把 K 改动舍入误差量级（1e-13·λ_1）就会改变某个计数，"
              "或它的 λ_i 与相邻特征值之差小于这个量，这个计数就是噪声。",
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
              "α_i(t) = α_i(0)·e^(−λ_i t), with t = η·steps. The button trains a real net "
              "of width m on the same points, for comparison.",
        "zh": "线性化（无限宽）网络，从 f_0 = 0 出发，在 n 个网格点上做梯度流训练。"
              "残差在特征向量 v_i 方向的分量按 α_i(t) = α_i(0)·e^(−λ_i t) 衰减，t = η·步数。"
              "按钮会在同样的点上训练一个宽度为 m 的真实网络，用来对比。",
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
        "en": "The target (grey dashes), the n training points and the linearized model f_t(x) "
              "at the slider's time t (blue); after the button, also the trained net (red) at "
              "its latest record ≤ t. A frequency k counts as fit once its relative error Δ_k "
              "(heat map) is ≤ 0.1.",
        "zh": "目标（灰色虚线）、n 个训练点，以及滑块时间 t 的线性化模型 f_t(x)（蓝色）；"
              "按下按钮后，还有训练的网络（红色）在不晚于 t 的最近记录。"
              "频率 k 的相对误差 Δ_k（见热图）≤ 0.1 时，算作已拟合。",
    },
    "frequency.alpha.title": {"en": "Residual in the eigenbasis", "zh": "特征基下的残差"},
    "frequency.alpha.x": {"en": "index i (λ_i descending)", "zh": "序号 i（λ_i 从大到小）"},
    "frequency.alpha.caption": {
        "en": "Red: |α_i(t)|; grey circles: |α_i(0)|, along the first 60 eigenvectors v_i "
              "(λ_i descending). In this linear model each component decays exactly as "
              "α_i(t) = α_i(0)·e^(−λ_i t). Components with α_i(0) = 0 (by the target's "
              "symmetry) sit at the bottom.",
        "zh": "红点：|α_i(t)|；灰圈：|α_i(0)|，沿前 60 个特征向量 v_i（λ_i 从大到小）。"
              "在这个线性模型里，每个分量都严格按 α_i(t) = α_i(0)·e^(−λ_i t) 衰减。"
              "α_i(0) = 0 的分量（由目标的对称性决定）落在最底部。",
    },
    "frequency.heat.title": {"en": "Relative error per frequency, log₁₀ Δ_k(t)",
                             "zh": "各频率的相对误差 log₁₀ Δ_k(t)"},
    "frequency.heat.y": {"en": "frequency k", "zh": "频率 k"},
    "frequency.heat.caption": {
        "en": "Δ_k = |ĥ_k − ŷ_k|/|ŷ_k|, from the DFTs of output and target over one period of "
              "the grid: its two ends are the same point of a period and count as one sample "
              "(their mean), so a sine with k periods over the interval is exactly frequency "
              "k. Rows: the lowest 16 frequencies k with |ŷ_k| ≥ 1 % of the largest. "
              "A target that does not repeat over the interval, such as sin 4x on [−1, 1], "
              "jumps where the interval wraps around and so contains every k. Dark is a small "
              "error; the dotted line is the current t.",
        "zh": "Δ_k = |ĥ_k − ŷ_k|/|ŷ_k|，由输出与目标在网格一个周期上的离散傅里叶变换得到："
              "网格的两个端点是一个周期中的同一点，合为一个样本（取两者的平均），"
              "这样在区间上有 k 个周期的正弦恰好是频率 k。"
              "各行：|ŷ_k| ≥ 最大值 1 % 的最低 16 个频率 k。"
              "在区间上不重复的目标（例如 [−1, 1] 上的 sin 4x）在区间首尾相接处有跳变，"
              "因此含有所有的 k。颜色越暗误差越小；虚线是当前的 t。",
    },
    # the finite net, trained on demand (button)
    "frequency.m": {"en": "net width m", "zh": "网络宽度 m"},
    "frequency.finite": {"en": "Train a net of width m up to t",
                         "zh": "训练宽度为 m 的网络到时间 t"},
    "frequency.finite.tooltip": {
        "en": "Trains a two-layer ReLU net of width m on the same grid by gradient descent "
              "(η = 1/λ_max) up to the current t; takes a few seconds.",
        "zh": "在同一网格上用梯度下降（η = 1/λ_max）训练宽度为 m 的两层 ReLU 网络，"
              "直到当前的 t，需要几秒钟。",
    },
    "frequency.finite.working": {"en": "training width {m} up to t = {t:.3g}",
                                 "zh": "训练宽度 {m} 的网络到 t = {t:.3g}"},
    "frequency.fit.model": {"en": "linearized f_t(x), m = ∞", "zh": "线性化 f_t(x)，m = ∞"},
    "frequency.fit.net": {"en": "net f_NN(x), m = {m}, at t = {t:.3g}",
                          "zh": "网络 f_NN(x)，m = {m}，t = {t:.3g} 时"},
    "frequency.bands.press": {
        "en": "Δ_k(t), linearized model. Press “{button}” to add a net",
        "zh": "Δ_k(t)，线性化模型。点击“{button}”加入网络",
    },
    "frequency.bands.title": {"en": "Δ_k(t): linearized (dashed), net m = {m} (solid)",
                              "zh": "Δ_k(t)：线性化（虚线），m = {m} 的网络（实线）"},
    "frequency.bands.capped": {"en": "; net stops at t = {t:.3g} (time limit)",
                               "zh": "；网络停在 t = {t:.3g}（计算时间上限）"},
    "frequency.bands.diverged": {"en": "; net diverged at t = {t:.3g}",
                                 "zh": "；网络在 t = {t:.3g} 发散"},
    "frequency.bands.y": {"en": "relative error Δ_k", "zh": "相对误差 Δ_k"},
    "frequency.bands.lin": {"en": "linearized", "zh": "线性化"},
    "frequency.bands.net": {"en": "net m = {m}", "zh": "网络 m = {m}"},
    "frequency.bands.caption": {
        "en": "The three frequencies k with the largest |ŷ_k|. Dashed: the linearized model "
              "(infinite width, f_0 = 0), at every t; solid: the net the button trains up to "
              "t, which starts from its random output f_0 ≠ 0, so its Δ_k(0) is not 1.",
        "zh": "|ŷ_k| 最大的三个频率 k。虚线：线性化模型（无限宽，f_0 = 0），画出所有的 t；"
              "实线：按钮训练到 t 的网络，它从随机的初始输出 f_0 ≠ 0 出发，所以 Δ_k(0) 不等于 1。",
    },
}


def tr(key: str, lang: str = "en", **fields) -> str:
    """The string ``key`` in ``lang`` (English if missing), formatted with ``fields``."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**fields) if fields else text


# --- training dashboards (issue 4): lazy training, initialization, prior and ensemble -------
STRINGS.update({
    # lazy training
    "lazy.title": {"en": "Lazy training: a wide net moves like its linearization",
                   "zh": "惰性训练：宽网络像它的线性化一样演化"},
    "lazy.intro": {
        "en": "A two-layer ReLU net f_NN of width m (every parameter ~ N(0, s²)) trained by "
              "gradient descent on n points of sin 3x, beside its linearization "
              "f_lin = f_0 + ∇f_0·(θ − θ₀) and the infinite-width prediction f_∞ (the "
              "analytic NTK Θ). Time t = η·steps, with η in units of 1/λ_max of the net's "
              "NTK at init.",
        "zh": "宽度为 m 的两层 ReLU 网络 f_NN（每个参数 ~ N(0, s²)）"
              "在 sin 3x 的 n 个点上做梯度下降，"
              "旁边是它的线性化 f_lin = f_0 + ∇f_0·(θ − θ₀) 和无限宽预测 f_∞（解析 NTK Θ）。"
              "时间 t = η·步数，η 以初始化时网络 NTK 的 1/λ_max 为单位。",
    },
    "lazy.m": {"en": "width m", "zh": "宽度 m"},
    "lazy.s": {"en": "init scale s", "zh": "初始化尺度 s"},
    "lazy.n": {"en": "training points n", "zh": "训练样本数 n"},
    "lazy.lr": {"en": "step η · λ_max", "zh": "步长 η · λ_max"},
    "lazy.steps": {"en": "GD steps", "zh": "梯度下降步数"},
    "lazy.seed": {"en": "net seed", "zh": "网络随机种子"},
    "lazy.t": {"en": "time t = η·steps", "zh": "时间 t = η·步数"},
    "lazy.working": {"en": "training width {m} for {steps} steps",
                     "zh": "训练宽度 {m} 的网络 {steps} 步"},
    "lazy.diverged": {
        "en": "training diverged (the loss became infinite): lower the step η · λ_max",
        "zh": "训练发散（损失变为无穷大）：请减小步长 η · λ_max",
    },
    "lazy.fit.title": {"en": "Outputs at t = {t:.3g} (m = {m})",
                       "zh": "t = {t:.3g} 时的输出（m = {m}）"},
    "lazy.fit.target": {"en": "target sin 3x", "zh": "目标 sin 3x"},
    "lazy.fit.train": {"en": "training points", "zh": "训练点"},
    "lazy.fit.caption": {
        "en": "The target (grey dots), the n training points, the net f_NN (solid), its "
              "linearization f_lin (dashes) and the infinite-width prediction f_∞ (dots) at "
              "the latest recorded time. All three start from the net's own output at init "
              "f_0; f_∞ uses the infinite-width kernel Θ instead of the net's kernel at init.",
        "zh": "目标（灰色点线）、n 个训练点、网络 f_NN（实线）、它的线性化 f_lin（虚线）"
              "和无限宽预测 f_∞（点线），取最近一次记录的时刻。三者都从网络自己的初始输出 f_0 "
              "出发；f_∞ 用无限宽的核 Θ，而不是网络初始化时的核。",
    },
    "lazy.gap.title": {"en": "Distance between the models over time",
                       "zh": "模型之间的距离随时间变化"},
    "lazy.gap.caption": {
        "en": "RMSE over 200 test points, over time, between the net and its linearization "
              "(f_NN, f_lin) and between the linearization and the infinite-width prediction "
              "(f_lin, f_∞). Training is lazy when the first stays small beside the outputs "
              "themselves.",
        "zh": "200 个测试点上随时间变化的均方根误差：网络与它的线性化之间（f_NN, f_lin），"
              "以及线性化与无限宽预测之间（f_lin, f_∞）。若前者相对输出本身始终很小，"
              "训练就是惰性的。",
    },
    "lazy.drift.title": {"en": "Weight change and kernel drift",
                         "zh": "权重变化与核漂移"},
    "lazy.drift.y": {"en": "relative change", "zh": "相对变化"},
    "lazy.drift.caption": {
        "en": "How far the weights θ and the net's empirical NTK K have moved from init, "
              "relative to their size. If both stay small the kernel is nearly fixed during "
              "training, which is what the linearization assumes; the button below measures "
              "both against width.",
        "zh": "权重 θ 和网络的经验 NTK K 相对初始值移动了多少（相对其大小）。"
              "若两者都很小，训练中核几乎不变，这正是线性化所假设的；"
              "下方按钮测量两者随宽度的变化。",
    },
    "lazy.loss.title": {"en": "Training loss (drawn while training)",
                        "zh": "训练损失（训练中实时绘制）"},
    "lazy.loss.caption": {
        "en": "½Σ(f(x_i) − y_i)² on the n training points for the net (solid) and its "
              "linearization (dashes), updated after each compiled chunk of steps. Log scale: "
              "once both losses are small, a small difference between the two fits shows as "
              "a large ratio.",
        "zh": "网络（实线）和它的线性化（虚线）在 n 个训练点上的 ½Σ(f(x_i) − y_i)²，"
              "每完成一段编译好的训练步就更新。对数坐标：两个损失都很小时，"
              "两个拟合之间的微小差别会表现为很大的比值。",
    },
    "lazy.sweep.button": {"en": "Measure RMSE against width (m = {widths})",
                          "zh": "测量 RMSE 随宽度的变化（m = {widths}）"},
    "lazy.sweep.working": {"en": "width sweep, m = {m} ({i} of {k})",
                           "zh": "宽度扫描，m = {m}（第 {i}/{k} 个）"},
    "lazy.sweep.empty": {"en": "Press the button above to measure RMSE against width",
                         "zh": "点击上方按钮，测量 RMSE 随宽度的变化"},
    "lazy.sweep.title": {"en": "At t = {t:.3g}: fitted slope of RMSE {slope:+.2f}",
                         "zh": "t = {t:.3g} 时：RMSE 的拟合斜率 {slope:+.2f}"},
    "lazy.sweep.rmse": {"en": "RMSE(f_NN, f_lin)", "zh": "RMSE(f_NN, f_lin)"},
    "lazy.sweep.weight": {"en": "‖θ_t − θ₀‖/‖θ₀‖", "zh": "‖θ_t − θ₀‖/‖θ₀‖"},
    "lazy.sweep.kernel": {"en": "‖K_t − K₀‖_F/‖K₀‖_F", "zh": "‖K_t − K₀‖_F/‖K₀‖_F"},
    "lazy.sweep.y": {"en": "at the end of training", "zh": "训练结束时"},
    "lazy.sweep.slope": {"en": "fitted slope", "zh": "拟合斜率"},
    "lazy.sweep.caption": {
        "en": "Log-log: a straight line is a power law m^slope. Each point is one net (one "
              "seed, float64) trained beside its linearization to the same t, with one η "
              "shared by all widths; the slopes are fitted to these points, not assumed. Lee "
              "et al. 2019 report RMSE(f_NN, f_lin) falling 'about as 1/N' with width for "
              "fully connected nets (slope −1); the relative weight change is expected to "
              "fall as m^(−1/2).",
        "zh": "双对数坐标：直线代表幂律 m^斜率。每个点是一个网络（一个随机种子、float64），"
              "与它的线性化一起训练到同一时刻 t，所有宽度共用一个 η；斜率由这些点拟合得到，"
              "不是假设的。Lee 等人（2019）报告全连接网络的 RMSE(f_NN, f_lin) "
              "随宽度“约按 1/N”下降（斜率 −1）；相对权重变化预期按 m^(−1/2) 下降。",
    },
})

STRINGS.update({
    # initialization
    "init.title": {"en": "Initialization: the initial output stays in the trained function",
                   "zh": "初始化：初始输出会留在训练后的函数里"},
    "init.intro": {
        "en": "Four ReLU nets of width m and depth L (every parameter ~ N(0, s²)) trained by "
              "gradient descent on 10 random points of sin 4x, each with the adaptive step "
              "η_k = 1/λ_max of its current kernel (so a small s trains too): "
              "the plain net, its antisymmetrical version ASI (zero output at init, same "
              "kernel), the doubling trick (zero output at init) and RND (a plain net with "
              "a doubled last layer). Eq. 1.14 predicts the plain net: h(·; h_ini) = "
              "h(·; 0) + [h_ini − h(·; 0, X, h_ini(X))].",
        "zh": "宽度 m、深度 L 的四个 ReLU 网络（每个参数 ~ N(0, s²)）各用自适应步长 "
              "η_k = 1/λ_max（当前核的最大特征值，小的 s 也能训练），"
              "在 sin 4x 的 10 个随机点上做梯度下降：普通网络、它的反对称版本 ASI（初始输出为零，"
              "核不变）、加倍技巧（初始输出为零）和 RND（最后一层加倍的普通网络）。"
              "式 1.14 预测普通网络：h(·; h_ini) = h(·; 0) + [h_ini − h(·; 0, X, h_ini(X))]。",
    },
    "init.s": {"en": "init scale s", "zh": "初始化尺度 s"},
    "init.m": {"en": "width m", "zh": "宽度 m"},
    "init.depth": {"en": "depth L", "zh": "深度 L"},
    "init.trick": {"en": "shown", "zh": "显示"},
    "init.trick.plain": {"en": "plain", "zh": "普通"},
    "init.trick.asi": {"en": "ASI", "zh": "ASI"},
    "init.trick.doubling": {"en": "doubling", "zh": "加倍"},
    "init.trick.rnd": {"en": "RND", "zh": "RND"},
    "init.steps": {"en": "GD steps", "zh": "梯度下降步数"},
    "init.seed": {"en": "net seed", "zh": "网络随机种子"},
    "init.t": {"en": "time t = Σ η_k (each net's own)", "zh": "时间 t = Σ η_k（各网络自己的）"},
    "init.working": {"en": "four nets of width {m}, depth {depth}",
                     "zh": "四个宽度 {m}、深度 {depth} 的网络"},
    "init.diverged": {"en": "training diverged (the loss became infinite); try fewer steps "
                            "or a smaller init scale s",
                      "zh": "训练发散（损失变为无穷大）；请减少步数或减小初始化尺度 s"},
    "init.train": {"en": "training points", "zh": "训练点"},
    "init.target": {"en": "target sin 4x", "zh": "目标 sin 4x"},
    "init.eq114": {"en": "eq. 1.14 (plain, linearized)", "zh": "式 1.14（普通网络，线性化）"},
    "init.zero_init": {"en": "h(·; 0, X, Y)", "zh": "h(·; 0, X, Y)"},
    "init.trained.net": {"en": "trained {trick} net", "zh": "训练后的{trick}网络"},
    "init.trained.title": {"en": "{trick} net at t = {t:.3g}: test RMSE {rmse:.3g}",
                           "zh": "t = {t:.3g} 时的{trick}网络：测试 RMSE {rmse:.3g}"},
    "init.trained.caption": {
        "en": "The trained net shown (solid) against the target, beside two predictions from "
              "the kernel at init: eq. 1.14 for the plain net (black dashes: the fit from zero "
              "plus the prior term, the part of the initial output training never removes) "
              "and h(·; 0, X, Y), the fit from a zero output (green dots), which is what ASI "
              "and doubling should follow. Try s = 0.3 or 0.1 to see a small initial output.",
        "zh": "显示的训练后网络（实线）与目标，旁边是由初始化时的核给出的两个预测："
              "普通网络的式 1.14（黑色虚线：从零出发的拟合加上先验项，"
              "即训练永远去不掉的那部分初始输出），"
              "以及从零输出出发的拟合 h(·; 0, X, Y)（绿色点线），ASI 和加倍技巧应当贴近它。"
              "试试 s = 0.3 或 0.1，看初始输出很小时的情形。",
    },
    "init.init.title": {"en": "Outputs at init f(x; θ₀), s = {s:.3g}",
                        "zh": "初始化时的输出 f(x; θ₀)，s = {s:.3g}"},
    "init.init.caption": {
        "en": "Each net's output before training. The plain and RND nets start from a random "
              "function whose size grows with s (like s^(L+1) for depth L); ASI and doubling "
              "cancel it by construction.",
        "zh": "每个网络训练前的输出。普通网络和 RND 网络从一个随机函数出发，其大小随 s 增长"
              "（深度为 L 时约为 s^(L+1)）；ASI 和加倍技巧按构造把它抵消。",
    },
    "init.prior.title": {"en": "The prior term of eq. 1.14", "zh": "式 1.14 的先验项"},
    "init.prior.term": {"en": "h_ini − h(·; 0, X, h_ini(X))",
                        "zh": "h_ini − h(·; 0, X, h_ini(X))"},
    "init.prior.gap": {"en": "trained plain − trained ASI", "zh": "训练后的普通网络 − ASI 网络"},
    "init.prior.caption": {
        "en": "The prior term of eq. 1.14, what training never removes from the initial "
              "output h_ini: zero at the training points (×) once they are fit, free between "
              "them. Beside it (dashes) the measured difference between the trained plain and "
              "ASI nets, which share the kernel at init.",
        "zh": "式 1.14 的先验项，即训练永远去不掉的那部分初始输出 h_ini："
              "训练点（×）拟合后在那里为零，"
              "在点与点之间不受约束。旁边（虚线）是训练后普通网络与 ASI 网络的实测差，"
              "两者在初始化时的核相同。",
    },
    "init.loss.title": {"en": "Training loss of all four nets (drawn while training)",
                        "zh": "四个网络的训练损失（训练中实时绘制）"},
    "init.loss.caption": {
        "en": "Each net's loss against its own time t = Σ η_k (gradient-flow time: a net with "
              "twice the kernel, like doubling, moves twice as fast in t); the thick line is "
              "the net shown. Compare how fast each reaches a small loss.",
        "zh": "每个网络的损失随它自己的时间 t = Σ η_k 变化（梯度流时间：核大一倍的网络，"
              "如加倍技巧，在 t 上快一倍）；粗线是当前显示的网络。比较它们达到小损失的快慢。",
    },
})

STRINGS.update({
    # prior and ensemble
    "ensemble.title": {"en": "Prior and ensemble: wide nets are Gaussian processes",
                       "zh": "先验与集成：宽网络是高斯过程"},
    "ensemble.intro": {
        "en": "E two-layer ReLU nets of width m (seeds seed … seed + E − 1, every parameter "
              "~ N(0, s²)) at init and after gradient descent on n points of sin 3x "
              "(η = 1/λ_max of the analytic NTK Θ), against the infinite-width closed forms: "
              "the prior covariance Σ (NNGP) at init, and the trained-ensemble mean and "
              "variance at t = η·steps. The training points are random in [−1, 1]; the plots "
              "reach to [−2, 2], beyond them.",
        "zh": "E 个宽度为 m 的两层 ReLU 网络（种子 seed … seed + E − 1，每个参数 ~ N(0, s²)），"
              "分别在初始化时和在 sin 3x 的 n 个点上做梯度下降之后（η = 解析 NTK Θ 的 1/λ_max），"
              "与无限宽的闭式解对比：初始化时的先验协方差 Σ（NNGP），"
              "以及 t = η·步数 时训练后集成的均值与方差。训练点随机分布在 [−1, 1] 内；"
              "图画到 [−2, 2]，超出训练点的范围。",
    },
    "ensemble.m": {"en": "width m", "zh": "宽度 m"},
    "ensemble.members": {"en": "nets E", "zh": "网络个数 E"},
    "ensemble.s": {"en": "init scale s", "zh": "初始化尺度 s"},
    "ensemble.n": {"en": "training points n", "zh": "训练样本数 n"},
    "ensemble.steps": {"en": "GD steps", "zh": "梯度下降步数"},
    "ensemble.seed": {"en": "first seed", "zh": "起始随机种子"},
    "ensemble.working": {"en": "training {members} nets of width {m} together",
                         "zh": "同时训练 {members} 个宽度 {m} 的网络"},
    "ensemble.diverged": {"en": "training diverged (the loss became infinite); try a larger "
                                "width m or fewer steps",
                          "zh": "训练发散（损失变为无穷大）；请增大宽度 m 或减少步数"},
    "ensemble.band": {"en": "closed form: mean ± 2σ", "zh": "闭式解：均值 ± 2σ"},
    "ensemble.prior.band": {"en": "NNGP: 0 ± 2√Σ(x, x)", "zh": "NNGP：0 ± 2√Σ(x, x)"},
    "ensemble.mean": {"en": "closed-form mean", "zh": "闭式解均值"},
    "ensemble.samples": {"en": "{E} nets of width {m}", "zh": "{E} 个宽度 {m} 的网络"},
    "ensemble.samples_mean": {"en": "mean of the nets", "zh": "网络的平均"},
    "ensemble.target": {"en": "target sin 3x", "zh": "目标 sin 3x"},
    "ensemble.train": {"en": "training points", "zh": "训练点"},
    "ensemble.prior.title": {"en": "At init: samples of f vs the NNGP band (s = {s:.3g})",
                             "zh": "初始化时：f 的样本与 NNGP 区间（s = {s:.3g}）"},
    "ensemble.prior.caption": {
        "en": "Each thin line is one net at init, against the NNGP band 0 ± 2√Σ(x, x). For "
              "this net Σ(x, x) = s⁴(x² + 1)/2, so the band's half-width 2√Σ is proportional "
              "to s². A Gaussian process puts 95.4 % of its draws within ±2√Σ at each x.",
        "zh": "每条细线是一个初始化时的网络，与 NNGP 区间 0 ± 2√Σ(x, x) 对比。对这个网络 "
              "Σ(x, x) = s⁴(x² + 1)/2，所以区间半宽 2√Σ 与 s² 成正比。"
              "高斯过程在每个 x 处有 95.4% 的样本落在 ±2√Σ 之内。",
    },
    "ensemble.trained.title": {"en": "After training, t = {t:.3g}: nets vs closed form",
                               "zh": "训练后 t = {t:.3g}：网络与闭式解"},
    "ensemble.trained.caption": {
        "en": "The trained nets (thin lines) and their mean (dashes) against the closed-form "
              "mean ± 2σ of infinitely wide nets trained to the same t. The closed-form band "
              "pinches at the training points, which every net fits; between and beyond them "
              "σ is the randomness of the init that the training points leave undetermined.",
        "zh": "训练后的网络（细线）和它们的平均（虚线），与训练到同一时刻 t 的无限宽网络的"
              "闭式均值 ± 2σ 对比。闭式解的区间在训练点处收窄（每个网络都拟合了这些点）；"
              "在点之间和点之外，σ 是训练点没有确定的那部分初始化随机性。",
    },
    "ensemble.std.title": {"en": "Spread over the {E} nets against the closed form",
                           "zh": "{E} 个网络的离散程度与闭式解对比"},
    "ensemble.std.prior": {"en": "√Σ(x, x) (init, closed form)", "zh": "√Σ(x, x)（初始化，闭式）"},
    "ensemble.std.f0": {"en": "σ of the nets at init", "zh": "网络在初始化时的 σ"},
    "ensemble.std.closed": {"en": "σ_t(x) (trained, closed form)",
                            "zh": "σ_t(x)（训练后，闭式）"},
    "ensemble.std.nets": {"en": "σ of the trained nets", "zh": "训练后网络的 σ"},
    "ensemble.std.caption": {
        "en": "Standard deviations over x: √Σ of the prior and σ of the nets at init (dotted), "
              "the closed-form σ_t and σ of the trained nets (solid). From E nets a measured σ "
              "scatters by about σ/√(2(E − 1)) from sampling alone; a finite width can add a "
              "systematic difference.",
        "zh": "随 x 变化的标准差：先验的 √Σ 与初始化时网络的 σ（点线），闭式解 σ_t "
              "与训练后网络的 σ（实线）。仅由抽样，E 个网络测得的 σ 约有 σ/√(2(E − 1)) "
              "的波动；有限宽度还可能带来系统偏差。",
    },
})


# --- checked claims (ntklab.experiments.<module>.claims): "claim.<name>.yes" is said when
# the predicate holds at the settings shown, "claim.<name>.no" when it does not -------------
STRINGS.update({
    "claim.initialization.fits.yes": {
        "en": "The {trick} net fits its {n} training points (loss {loss:.2g} at t = {t:.3g}).",
        "zh": "{trick}网络拟合了它的 {n} 个训练点（t = {t:.3g} 时损失 {loss:.2g}）。",
    },
    "claim.initialization.fits.no": {
        "en": "After {steps} steps (t = {t:.3g}) the {trick} net has not fit its {n} training "
              "points yet (loss {loss:.2g}, above 0.01): add steps or lower s.",
        "zh": "{steps} 步之后（t = {t:.3g}），{trick}网络还没有拟合它的 {n} 个训练点"
              "（损失 {loss:.2g}，高于 0.01）：请增加步数或减小 s。",
    },
    "claim.initialization.follows_eq114.yes": {
        "en": "Eq. 1.14 predicts the trained plain net: it is {to_eq114:.2g} (RMSE) from the "
              "black dashes, against {to_zero_init:.2g} from the zero-output fit, so it keeps "
              "its initial output between the points.",
        "zh": "式 1.14 预测了训练后的普通网络：它与黑色虚线相差 {to_eq114:.2g}（RMSE），"
              "与从零出发的拟合相差 {to_zero_init:.2g}，所以它在点与点之间保留了初始输出。",
    },
    "claim.initialization.follows_eq114.no": {
        "en": "Eq. 1.14 does not predict this plain net: it is {to_eq114:.2g} (RMSE) from the "
              "black dashes, not much closer than to the zero-output fit ({to_zero_init:.2g}). "
              "At these settings the net is far from its linearization.",
        "zh": "式 1.14 没有预测出这个普通网络：它与黑色虚线相差 {to_eq114:.2g}（RMSE），"
              "并不比与从零出发的拟合（{to_zero_init:.2g}）更近。在这组设置下网络远离它的线性化。",
    },
    "claim.initialization.follows_zero_init.yes": {
        "en": "The {trick} net starts from zero output and ends {distance:.2g} (RMSE) from "
              "h(·; 0, X, Y) (green dots, size {size:.2g}).",
        "zh": "{trick}网络从零输出出发，最终与 h(·; 0, X, Y)（绿色点线，大小 {size:.2g}）"
              "相差 {distance:.2g}（RMSE）。",
    },
    "claim.initialization.follows_zero_init.no": {
        "en": "The {trick} net ends {distance:.2g} (RMSE) from h(·; 0, X, Y) (green dots, size "
              "{size:.2g}): at these settings it does not follow the kernel prediction.",
        "zh": "{trick}网络最终与 h(·; 0, X, Y)（绿色点线，大小 {size:.2g}）相差 "
              "{distance:.2g}（RMSE）：在这组设置下它不符合核的预测。",
    },
    "claim.initialization.plain_worse.yes": {
        "en": "The initial output costs accuracy: test RMSE {plain:.2g} for the plain net, "
              "{asi:.2g} for ASI (the plain net's initial output has size {init_size:.2g}).",
        "zh": "初始输出损害了精度：普通网络的测试 RMSE 为 {plain:.2g}，ASI 为 {asi:.2g}"
              "（普通网络初始输出的大小为 {init_size:.2g}）。",
    },
    "claim.initialization.plain_worse.no": {
        "en": "Here the initial output is small (size {init_size:.2g}) and the plain net is "
              "about as accurate as ASI (test RMSE {plain:.2g} against {asi:.2g}).",
        "zh": "这里初始输出很小（大小 {init_size:.2g}），普通网络与 ASI 差不多准确"
              "（测试 RMSE {plain:.2g} 对 {asi:.2g}）。",
    },
    "claim.initialization.zero_at_init.yes": {
        "en": "ASI and doubling start from zero (largest |f| {largest:.1g}, round-off); the "
              "plain net's initial output has size {plain:.3g} (RMS), RND's {rnd:.3g}.",
        "zh": "ASI 和加倍技巧从零出发（最大 |f| 为 {largest:.1g}，只是舍入误差）；"
              "普通网络初始输出的大小为 {plain:.3g}（RMS），RND 为 {rnd:.3g}。",
    },
    "claim.initialization.zero_at_init.no": {
        "en": "ASI's and doubling's initial outputs are not zero (largest |f| {largest:.2g}).",
        "zh": "ASI 和加倍技巧的初始输出不为零（最大 |f| 为 {largest:.2g}）。",
    },
    "claim.initialization.prior_is_gap.yes": {
        "en": "The measured plain − ASI difference is {distance:.2g} (RMSE) from the prior "
              "term (size {size:.2g}): the prior term is what separates the two nets.",
        "zh": "实测的普通网络 − ASI 之差与先验项（大小 {size:.2g}）相差 {distance:.2g}（RMSE）："
              "把两个网络分开的正是先验项。",
    },
    "claim.initialization.prior_is_gap.no": {
        "en": "The measured plain − ASI difference is {distance:.2g} (RMSE) from the prior "
              "term (size {size:.2g}): at these settings eq. 1.14 does not account for it.",
        "zh": "实测的普通网络 − ASI 之差与先验项（大小 {size:.2g}）相差 {distance:.2g}（RMSE）："
              "在这组设置下式 1.14 不能解释它。",
    },
    "claim.initialization.asi_fastest.yes": {
        "en": "ASI reaches loss {level:g} first (t = {t_first:.3g}), as Xu's lecture notes "
              "report; in order: {order}.{never}",
        "zh": "ASI 最先达到损失 {level:g}（t = {t_first:.3g}），与许志钦讲义所述一致；"
              "先后顺序：{order}。{never}",
    },
    "claim.initialization.asi_fastest.no": {
        "en": "{first} reaches loss {level:g} first (t = {t_first:.3g}), not ASI as Xu's "
              "lecture notes report; in order: {order}.{never}",
        "zh": "最先达到损失 {level:g} 的是{first}（t = {t_first:.3g}），而不是许志钦讲义所说的 "
              "ASI；先后顺序：{order}。{never}",
    },
    "claim.never": {"en": " Not reached by: {names}.", "zh": "未达到的：{names}。"},
    "claim.none": {"en": "no net", "zh": "没有网络"},
})


# --- checked claims of ntklab.experiments.lazy and ntklab.experiments.ensemble (the Lazy
# training and Prior-and-ensemble dashboards) -----------------------------------------------
STRINGS.update({
    "claim.lazy.close.yes": {
        "en": "At t = {t:.3g} f_NN and f_lin lie on top of each other: RMSE {gap:.2g}, "
              "{percent:.1f} % of the outputs' size ({size:.2g}, RMS).",
        "zh": "t = {t:.3g} 时 f_NN 与 f_lin 几乎重合：RMSE 为 {gap:.2g}，"
              "是输出大小（{size:.2g}，RMS）的 {percent:.1f}%。",
    },
    "claim.lazy.close.no": {
        "en": "At t = {t:.3g} f_NN and f_lin have parted: RMSE {gap:.2g}, {percent:.0f} % of "
              "the outputs' size ({size:.2g}, RMS), while training moved f_lin {moved:.3g} "
              "(RMS) from f_0. A wider net (larger m) or a smaller s keeps them closer.",
        "zh": "t = {t:.3g} 时 f_NN 与 f_lin 已经分开：RMSE 为 {gap:.2g}，是输出大小"
              "（{size:.2g}，RMS）的 {percent:.0f}%；训练让 f_lin 离开 f_0 {moved:.3g}（RMS）。"
              "更宽的网络（更大的 m）或更小的 s 会让两者更接近。",
    },
    "claim.lazy.gap_small.yes": {
        "en": "RMSE(f_NN, f_lin) stays small: at most {peak:.2g} (t = {t_peak:.3g}), "
              "{percent:.1f} % of the trained outputs' size {size:.2g}; it ends at {end:.2g}, "
              "and RMSE(f_lin, f_∞) at {lin_inf:.2g}.",
        "zh": "RMSE(f_NN, f_lin) 始终很小：最大 {peak:.2g}（t = {t_peak:.3g}），"
              "是训练后输出大小 {size:.2g} 的 {percent:.1f}%；最终为 {end:.2g}，"
              "RMSE(f_lin, f_∞) 最终为 {lin_inf:.2g}。",
    },
    "claim.lazy.gap_small.no": {
        "en": "RMSE(f_NN, f_lin) grows to {peak:.2g} (t = {t_peak:.3g}), {percent:.0f} % of "
              "the trained outputs' size {size:.2g}: at these settings the net leaves its "
              "linearization (it ends at {end:.2g}; RMSE(f_lin, f_∞) at {lin_inf:.2g}). The "
              "button below measures how this gap changes with width.",
        "zh": "RMSE(f_NN, f_lin) 增大到 {peak:.2g}（t = {t_peak:.3g}），是训练后输出大小 "
              "{size:.2g} 的 {percent:.0f}%：在这组设置下网络偏离了它的线性化"
              "（最终为 {end:.2g}；RMSE(f_lin, f_∞) 最终为 {lin_inf:.2g}）。"
              "下方按钮测量这个差距随宽度如何变化。",
    },
    "claim.lazy.small_change.yes": {
        "en": "By t = {t:.3g} the weights have moved {weights:.1%} of their size and the "
              "kernel {kernel:.1%}: both stay below {limit:.0%}.",
        "zh": "到 t = {t:.3g}，权重移动了其大小的 {weights:.1%}，核移动了 {kernel:.1%}："
              "两者都低于 {limit:.0%}。",
    },
    "claim.lazy.small_change.no": {
        "en": "By t = {t:.3g} the weights have moved {weights:.1%} of their size and the "
              "kernel {kernel:.1%}: not both below {limit:.0%}, while the linearization "
              "assumes a kernel that does not move.",
        "zh": "到 t = {t:.3g}，权重移动了其大小的 {weights:.1%}，核移动了 {kernel:.1%}："
              "并非都低于 {limit:.0%}，而线性化假设核不动。",
    },
    "claim.lazy.fits.yes": {
        "en": "The net fits its {n} training points: RMSE {fit:.2g} there at t = {t:.3g} "
              "(from {init:.3g} at init).",
        "zh": "网络拟合了它的 {n} 个训练点：t = {t:.3g} 时那里的 RMSE 为 {fit:.2g}"
              "（初始化时为 {init:.3g}）。",
    },
    "claim.lazy.fits.no": {
        "en": "After {steps} steps (t = {t:.3g}) the net has not fit its {n} training points "
              "yet: RMSE {fit:.2g} there (above 0.05; {init:.3g} at init). Lower s (the "
              "initial output to remove grows as s²) or add steps.",
        "zh": "{steps} 步之后（t = {t:.3g}），网络还没有拟合它的 {n} 个训练点：那里的 RMSE 为 "
              "{fit:.2g}（高于 0.05；初始化时为 {init:.3g}）。请减小 s"
              "（需要消除的初始输出按 s² 增长）或增加步数。",
    },
    "claim.lazy.losses_together.yes": {
        "en": "The two losses descend together: never more than {worst:.2g}× apart; at "
              "t = {t:.3g} the net's is {loss_net:.2g}, the linearization's {loss_lin:.2g}.",
        "zh": "两个损失一起下降：相差从不超过 {worst:.2g} 倍；t = {t:.3g} 时网络的损失为 "
              "{loss_net:.2g}，线性化的为 {loss_lin:.2g}。",
    },
    "claim.lazy.losses_together.no": {
        "en": "The two losses do not descend together: they are up to {worst:.2g}× apart "
              "(t = {t_worst:.3g}), more than {limit:g}×; at t = {t:.3g} the net's is "
              "{loss_net:.2g}, the linearization's {loss_lin:.2g} (ratio {ratio:.2g}).",
        "zh": "两个损失并没有一起下降：最多相差 {worst:.2g} 倍（t = {t_worst:.3g}），"
              "超过 {limit:g} 倍；t = {t:.3g} 时网络的损失为 {loss_net:.2g}，"
              "线性化的为 {loss_lin:.2g}（比值 {ratio:.2g}）。",
    },
    "claim.lazy.drift_shrinks.yes": {
        "en": "The width sweep (last plot) measures both falling with m: fitted slopes "
              "{weights:+.2f} for the weights and {kernel:+.2f} for the kernel "
              "(m = {widths}, t = {t:.3g}).",
        "zh": "宽度扫描（最后一张图）测得两者都随 m 下降：权重的拟合斜率为 {weights:+.2f}，"
              "核的为 {kernel:+.2f}（m = {widths}，t = {t:.3g}）。",
    },
    "claim.lazy.drift_shrinks.no": {
        "en": "The width sweep (last plot) does not find both falling with m: fitted slopes "
              "{weights:+.2f} for the weights and {kernel:+.2f} for the kernel "
              "(m = {widths}, t = {t:.3g}).",
        "zh": "宽度扫描（最后一张图）没有测得两者都随 m 下降：权重的拟合斜率为 {weights:+.2f}，"
              "核的为 {kernel:+.2f}（m = {widths}，t = {t:.3g}）。",
    },
    "claim.lazy.gap_falls.yes": {
        "en": "At t = {t:.3g} RMSE(f_NN, f_lin) falls with width, from {first:.2g} to "
              "{last:.2g} over m = {widths}: fitted slope {slope:+.2f}.",
        "zh": "t = {t:.3g} 时 RMSE(f_NN, f_lin) 随宽度下降，在 m = {widths} 上从 {first:.2g} "
              "降到 {last:.2g}：拟合斜率 {slope:+.2f}。",
    },
    "claim.lazy.gap_falls.no": {
        "en": "At t = {t:.3g} RMSE(f_NN, f_lin) does not fall with width at these settings: "
              "{first:.2g} to {last:.2g} over m = {widths}, fitted slope {slope:+.2f}.",
        "zh": "在这组设置下，t = {t:.3g} 时 RMSE(f_NN, f_lin) 没有随宽度下降：在 m = {widths} "
              "上从 {first:.2g} 到 {last:.2g}，拟合斜率 {slope:+.2f}。",
    },
    "claim.lazy.slope_as_source.yes": {
        "en": "The fitted slope {slope:+.2f} is within ±{tol:g} of the −1 ('about 1/N') that "
              "Lee et al. 2019 report for fully connected nets.",
        "zh": "拟合斜率 {slope:+.2f} 与 Lee 等人（2019）对全连接网络报告的 −1（“约 1/N”）"
              "相差不超过 ±{tol:g}。",
    },
    "claim.lazy.slope_as_source.no": {
        "en": "The fitted slope {slope:+.2f} is not the −1 ('about 1/N') that Lee et al. 2019 "
              "report for fully connected nets (more than ±{tol:g} away): this 1-D ReLU net "
              "with a summed loss, trained to a finite time over these widths, gives its "
              "own rate.",
        "zh": "拟合斜率 {slope:+.2f} 不是 Lee 等人（2019）对全连接网络报告的 −1（“约 1/N”）"
              "（相差超过 ±{tol:g}）：这个一维 ReLU 网络用求和损失、训练到有限时刻、"
              "在这几个宽度上给出它自己的速率。",
    },
    "claim.lazy.weight_rate.yes": {
        "en": "The relative weight change has fitted slope {slope:+.2f}, within ±{tol:g} of "
              "the expected m^(−1/2).",
        "zh": "相对权重变化的拟合斜率为 {slope:+.2f}，与预期的 m^(−1/2) 相差不超过 ±{tol:g}。",
    },
    "claim.lazy.weight_rate.no": {
        "en": "The relative weight change has fitted slope {slope:+.2f}, more than ±{tol:g} "
              "from the expected m^(−1/2).",
        "zh": "相对权重变化的拟合斜率为 {slope:+.2f}，与预期的 m^(−1/2) 相差超过 ±{tol:g}。",
    },
    "claim.ensemble.prior_coverage.yes": {
        "en": "{coverage:.1f} % of the {E} nets' points lie in the band, within ±{tol:.1f} "
              "percentage points (sampling) of the 95.4 % of a Gaussian process (nets that "
              "leave it somewhere: {nets_out}).",
        "zh": "{E} 个网络的点中有 {coverage:.1f}% 落在区间内，与高斯过程的 95.4% 相差不超过 "
              "±{tol:.1f} 个百分点（抽样误差）；有 {nets_out} 个网络在某处越出区间。",
    },
    "claim.ensemble.prior_coverage.no": {
        "en": "{coverage:.1f} % of the {E} nets' points lie in the band, more than ±{tol:.1f} "
              "percentage points (sampling) from the 95.4 % of a Gaussian process (nets that "
              "leave it somewhere: {nets_out}).",
        "zh": "{E} 个网络的点中有 {coverage:.1f}% 落在区间内，与高斯过程的 95.4% 相差超过 "
              "±{tol:.1f} 个百分点（抽样误差）；有 {nets_out} 个网络在某处越出区间。",
    },
    "claim.ensemble.prior_widens.yes": {
        "en": "The band widens with |x|: half-width {center:.2g} near x = 0, {edge:.2g} at "
              "|x| = {x_edge:.2g} (s = {s:.3g}).",
        "zh": "区间随 |x| 变宽：半宽在 x = 0 附近为 {center:.2g}，在 |x| = {x_edge:.2g} 处为 "
              "{edge:.2g}（s = {s:.3g}）。",
    },
    "claim.ensemble.prior_widens.no": {
        "en": "The band hardly widens with |x| here: half-width {center:.2g} near x = 0, "
              "{edge:.2g} at |x| = {x_edge:.2g} (s = {s:.3g}).",
        "zh": "这里区间几乎不随 |x| 变宽：半宽在 x = 0 附近为 {center:.2g}，"
              "在 |x| = {x_edge:.2g} 处为 {edge:.2g}（s = {s:.3g}）。",
    },
    "claim.ensemble.band_pinched.yes": {
        "en": "Between the training points ({x_lo:.2f} to {x_hi:.2f}) the trained band is "
              "narrow: σ ≤ {between:.2g}, against a prior √Σ of about {prior:.2g} there; "
              "training removed nearly all of the init's randomness there.",
        "zh": "在训练点之间（{x_lo:.2f} 到 {x_hi:.2f}）训练后的区间很窄：σ ≤ {between:.2g}，"
              "而那里先验的 √Σ 约为 {prior:.2g}；训练几乎消除了那里初始化的全部随机性。",
    },
    "claim.ensemble.band_pinched.no": {
        "en": "Between the training points ({x_lo:.2f} to {x_hi:.2f}) the trained band stays "
              "wide: σ up to {between:.2g}, against a prior √Σ of about {prior:.2g} there.",
        "zh": "在训练点之间（{x_lo:.2f} 到 {x_hi:.2f}）训练后的区间仍然较宽：σ 最大为 "
              "{between:.2g}，而那里先验的 √Σ 约为 {prior:.2g}。",
    },
    "claim.ensemble.band_opens.yes": {
        "en": "Beyond the training points the band opens again: σ grows to {beyond:.2g} at "
              "x = {x_at:.2g}, {ratio:.0f}× its largest value between them; there the "
              "training points leave the init's randomness in place.",
        "zh": "在训练点之外区间重新张开：σ 在 x = {x_at:.2g} 处增大到 {beyond:.2g}，"
              "是点之间最大值的 {ratio:.0f} 倍；那里训练点没有去掉初始化的随机性。",
    },
    "claim.ensemble.band_opens.no": {
        "en": "On this plot ({x_min:g} to {x_max:g}) the band hardly opens beyond the "
              "training points: σ reaches {beyond:.2g} there, {ratio:.1f}× its largest value "
              "{between:.2g} between them.",
        "zh": "在这张图上（{x_min:g} 到 {x_max:g}）区间在训练点之外几乎没有张开：σ 在那里最大为 "
              "{beyond:.2g}，是点之间最大值 {between:.2g} 的 {ratio:.1f} 倍。",
    },
    "claim.ensemble.mean_within_noise.yes": {
        "en": "The nets' mean (dashes) is {gap:.2g} (RMS over x) from the closed-form mean, "
              "{ratio:.1f}× the {noise:.2g} that sampling {E} nets explains (at most "
              "{limit:g}×).",
        "zh": "网络的平均（虚线）与闭式解均值相差 {gap:.2g}（对 x 的 RMS），是抽样 {E} "
              "个网络所能解释的 {noise:.2g} 的 {ratio:.1f} 倍（不超过 {limit:g} 倍）。",
    },
    "claim.ensemble.mean_within_noise.no": {
        "en": "The nets' mean (dashes) is {gap:.2g} (RMS over x; at most {max_gap:.2g}, at "
              "x = {x_max_gap:.2g}) from the closed-form mean, whose own size is {size:.2g}: "
              "{ratio:.1f}× the "
              "{noise:.2g} that sampling {E} nets explains. Nets of width {m} differ "
              "systematically from the infinitely wide closed form.",
        "zh": "网络的平均（虚线）与闭式解均值相差 {gap:.2g}（对 x 的 RMS；最大 {max_gap:.2g}，"
              "在 x = {x_max_gap:.2g} 处），"
              "闭式解均值本身的大小为 {size:.2g}：这是抽样 {E} 个网络所能解释的 {noise:.2g} 的 "
              "{ratio:.1f} 倍。宽度 {m} 的网络与无限宽的闭式解存在系统差别。",
    },
    "claim.ensemble.init_spread.yes": {
        "en": "At init the nets' σ is {dev:.0f} % (relative RMS) from √Σ, within the "
              "±{tol:.0f} % that sampling {E} nets allows.",
        "zh": "初始化时网络的 σ 与 √Σ 相差 {dev:.0f}%（相对 RMS），在抽样 {E} 个网络所允许的 "
              "±{tol:.0f}% 之内。",
    },
    "claim.ensemble.init_spread.no": {
        "en": "At init the nets' σ is {dev:.0f} % (relative RMS) from √Σ, more than the "
              "±{tol:.0f} % that sampling {E} nets allows.",
        "zh": "初始化时网络的 σ 与 √Σ 相差 {dev:.0f}%（相对 RMS），超过抽样 {E} 个网络所允许的 "
              "±{tol:.0f}%。",
    },
    "claim.ensemble.trained_spread.yes": {
        "en": "After training the nets' σ is {dev:.0f} % (relative RMS) from the closed-form "
              "σ_t, within the ±{tol:.0f} % that sampling {E} nets allows.",
        "zh": "训练后网络的 σ 与闭式解 σ_t 相差 {dev:.0f}%（相对 RMS），在抽样 {E} "
              "个网络所允许的 ±{tol:.0f}% 之内。",
    },
    "claim.ensemble.trained_spread.no": {
        "en": "After training the nets' σ is {dev:.0f} % (relative RMS) from the closed-form "
              "σ_t (medians {median_nets:.2g} against {median_closed:.2g}), more than the "
              "±{tol:.0f} % that sampling {E} nets allows: at width {m} the finite width "
              "changes the spread systematically.",
        "zh": "训练后网络的 σ 与闭式解 σ_t 相差 {dev:.0f}%（相对 RMS；中位数 {median_nets:.2g} "
              "对 {median_closed:.2g}），超过抽样 {E} 个网络所允许的 ±{tol:.0f}%："
              "宽度 {m} 的有限宽度系统地改变了离散程度。",
    },
})


# --- checked claims of the Spectrum and Frequency principle dashboards
# (ntklab.experiments.spectrum.claims, ntklab.experiments.frequency.claims) ------------------
STRINGS.update({
    "claim.spectrum.decay.yes": {
        "en": "λ_i falls by {decades:.1f} orders of magnitude over the {last} eigenvalues "
              "computed, from λ_1 = {lam_first:.3g} to λ_{last} = {lam_last:.3g} "
              "(λ_1/λ_{last} = {ratio:.3g}): few directions are learned fast, most slowly.",
        "zh": "在计算出的 {last} 个特征值上，λ_i 下降了 {decades:.1f} 个数量级，从 "
              "λ_1 = {lam_first:.3g} 到 λ_{last} = {lam_last:.3g}（λ_1/λ_{last} = {ratio:.3g}）："
              "少数方向学得快，大多数方向学得慢。",
    },
    "claim.spectrum.decay.no": {
        "en": "Over the {last} eigenvalues computed λ_i falls only by a factor {ratio:.3g} "
              "(λ_1 = {lam_first:.3g}, λ_{last} = {lam_last:.3g}), less than {level:g}: "
              "use more points n to see more of the decay.",
        "zh": "在计算出的 {last} 个特征值上，λ_i 只下降了 {ratio:.3g} 倍（λ_1 = {lam_first:.3g}，"
              "λ_{last} = {lam_last:.3g}），不到 {level:g} 倍：增加样本数 n 可以看到更多的衰减。",
    },
    "claim.spectrum.smoother_first.yes": {
        "en": "The v_i shown get wavier with i (zero crossings {pairs}): the larger λ_i "
              "(small i), the smoother, lower-frequency v_i.",
        "zh": "所显示的 v_i 随 i 增大而起伏更多（过零次数 {pairs}）：λ_i 越大（i 越小），"
              "v_i 越平滑、频率越低。",
    },
    "claim.spectrum.smoother_first.no": {
        "en": "The v_i shown do not get wavier with i here (zero crossings {pairs}): at these "
              "settings a larger λ_i does not always mean a smoother v_i (see the crossings "
              "plot).",
        "zh": "这里所显示的 v_i 并不随 i 增大而起伏更多（过零次数 {pairs}）：在这组设置下，"
              "λ_i 更大并不总是意味着 v_i 更平滑（见过零次数图）。",
    },
    "claim.spectrum.crossings_exact.yes": {
        "en": "Every one of the {k} computed v_i crosses zero exactly i − 1 times: the "
              "frequency grows with the index, one crossing per step. At n = 500, try depth "
              "L = 5 with s = 0.1, or random sampling, to see where this rule ends.",
        "zh": "计算出的全部 {k} 个 v_i 都恰好过零 i − 1 次：频率随序号增加，每一步多一次过零。"
              "在 n = 500 时，试试深度 L = 5、s = 0.1，或随机采样，看这条规律在哪里失效。",
    },
    "claim.spectrum.crossings_exact.no": {
        "en": "v_i crosses zero exactly i − 1 times for i = 1…{upto}; v_{first} crosses "
              "{count} times instead of {expected}, and {departing} of the {k} counts depart "
              "from i − 1.",
        "zh": "i = 1…{upto} 时 v_i 恰好过零 i − 1 次；v_{first} 过零 {count} 次而不是 "
              "{expected} 次，{k} 个计数中共有 {departing} 个偏离 i − 1。",
    },
    "claim.spectrum.crossings_noise.yes": {
        "en": "From v_{first} on the count is round-off noise: λ_{first} = "
              "{lam_ratio:.1e}·λ_1 lies within {gap:.1e}·λ_1 of its neighbour, and changing K "
              "by {scale:.0e}·λ_1 changes {changed} of the counts (v_{first}'s: {count} → "
              "{perturbed}). Round-off mixes eigenvectors whose λ_i are this close.",
        "zh": "从 v_{first} 开始，计数是舍入噪声：λ_{first} = {lam_ratio:.1e}·λ_1 与相邻特征值只差 "
              "{gap:.1e}·λ_1，把 K 改动 {scale:.0e}·λ_1 会改变 {changed} 个计数（v_{first} 的："
              "{count} → {perturbed}）。特征值靠得这么近时，舍入误差会把它们的特征向量混在一起。",
    },
    "claim.spectrum.crossings_noise.no": {
        "en": "This departure is not noise: changing K by {scale:.0e}·λ_1 leaves v_{first}'s "
              "count at {count} (λ_{first}/λ_1 = {lam_ratio:.1e}, {gap:.1e}·λ_1 from its "
              "neighbour). That eigenvector really crosses zero {count} times, not "
              "i − 1 = {expected}: at these settings the rule is not exact. ({changed} of the "
              "{k} counts do change under it.)",
        "zh": "这个偏离不是噪声：把 K 改动 {scale:.0e}·λ_1 后，v_{first} 的计数仍是 {count}"
              "（λ_{first}/λ_1 = {lam_ratio:.1e}，与相邻特征值相差 {gap:.1e}·λ_1）。"
              "这个特征向量确实过零 {count} 次，而不是 i − 1 = {expected} 次："
              "在这组设置下这条规律并不精确。（{k} 个计数中有 {changed} 个会随之改变。）",
    },
    # frequency principle: lists of passage times (FrequencyDashboard.claim_fields)
    "claim.frequency.at": {"en": "k = {k} at t = {t:.3g}", "zh": "k = {k} 在 t = {t:.3g}"},
    "claim.frequency.not_yet": {"en": "k = {k} not yet (Δ_{k} = {delta:.2g} at the end)",
                                "zh": "k = {k} 尚未（最终 Δ_{k} = {delta:.2g}）"},
    "claim.none.freq": {"en": "none", "zh": "无"},
    "claim.frequency.low_first.yes": {
        "en": "Low rows turn dark first: Δ_k first falls to {level:g} for {times}, in "
              "order of k.",
        "zh": "低频行先变暗：Δ_k 首次降到 {level:g} 的时间为 {times}，按 k 的顺序。",
    },
    "claim.frequency.low_first.no": {
        "en": "Not in order of k here: Δ_k falls to {level:g} for {pair_low}, after "
              "{pair_high}.{why} All rows: {times}.",
        "zh": "这里不是按 k 的顺序：Δ_k 降到 {level:g} 的时间，{pair_low}，晚于 {pair_high}。"
              "{why}所有行：{times}。",
    },
    "claim.frequency.weak": {
        "en": " |ŷ_{k}| is only {weight:.1%} of the largest |ŷ_k|: the relative error of so "
              "weak a frequency divides by a small number.",
        "zh": "|ŷ_{k}| 只有最大 |ŷ_k| 的 {weight:.1%}："
              "这么弱的频率，其相对误差是除以一个很小的数。",
    },
    "claim.frequency.outline_first.yes": {
        "en": "At t = {t:.3g} the frequencies fit are k = {learnt} (Δ_{k_low} = "
              "{delta_low:.2g}), those not fit yet k = {pending} (Δ_{k_high} = "
              "{delta_high:.2g}): the smooth outline appears first, the fine wiggles last.",
        "zh": "在 t = {t:.3g} 时，已拟合的频率为 k = {learnt}（Δ_{k_low} = {delta_low:.2g}），"
              "尚未拟合的为 k = {pending}（Δ_{k_high} = {delta_high:.2g}）：平滑轮廓先出现，"
              "细小起伏最后出现。",
    },
    "claim.frequency.outline_first.no": {"en": "{detail}", "zh": "{detail}"},
    "claim.frequency.outline_first.early": {
        "en": "At t = {t:.3g} no frequency is fit yet (Δ_{k_low} = {delta_low:.2g} for the "
              "lowest, k = {k_low}): slide t up to see the smooth outline appear first.",
        "zh": "在 t = {t:.3g} 时还没有任何频率被拟合（最低的 k = {k_low}：Δ_{k_low} = "
              "{delta_low:.2g}）：把 t 调大，看平滑轮廓先出现。",
    },
    "claim.frequency.outline_first.done": {
        "en": "At t = {t:.3g} every frequency shown is fit (Δ_{k_high} = {delta_high:.2g} for "
              "the highest, k = {k_high}): slide t down to see the smooth outline appear "
              "before the wiggles.",
        "zh": "在 t = {t:.3g} 时所有显示的频率都已拟合（最高的 k = {k_high}：Δ_{k_high} = "
              "{delta_high:.2g}）：把 t 调小，看平滑轮廓先于细小起伏出现。",
    },
    "claim.frequency.outline_first.order": {
        "en": "At t = {t:.3g} the frequencies fit (Δ_k ≤ {level:g}) are k = {learnt}, those "
              "not yet k = {pending}: here a higher frequency is fit before a lower one.",
        "zh": "在 t = {t:.3g} 时已拟合的频率（Δ_k ≤ {level:g}）为 k = {learnt}，尚未拟合的为 "
              "k = {pending}：这里一个较高的频率比较低的频率先被拟合。",
    },
    "claim.frequency.small_i_first.yes": {
        "en": "At t = {t:.3g} the components up to i = {last_gone} have fallen below "
              "{level:.0%} of their start, while the one along v_{first_kept} keeps "
              "{kept_left:.0%} and the one along v_{top} {top_left:.0%}: components with small "
              "i (large λ_i) vanish first.",
        "zh": "在 t = {t:.3g} 时，直到 i = {last_gone} 的分量都已降到初值的 {level:.0%} 以下，"
              "而 v_{first_kept} 方向还剩 {kept_left:.0%}，v_{top} 方向还剩 {top_left:.0%}："
              "i 小（λ_i 大）的分量最先消失。",
    },
    "claim.frequency.small_i_first.no": {"en": "{detail}", "zh": "{detail}"},
    "claim.frequency.small_i_first.early": {
        "en": "At t = {t:.3g} no component has fallen below {level:.0%} of its start yet "
              "(the one along v_{first_kept} keeps {kept_left:.0%}): slide t up.",
        "zh": "在 t = {t:.3g} 时还没有分量降到初值的 {level:.0%} 以下（v_{first_kept} 方向还剩 "
              "{kept_left:.0%}）：把 t 调大。",
    },
    "claim.frequency.small_i_first.done": {
        "en": "At t = {t:.3g} all {present} components shown with α_i(0) ≠ 0 have fallen "
              "below {level:.0%} of their start: slide t down to see the small i vanish first.",
        "zh": "在 t = {t:.3g} 时，所显示的 {present} 个 α_i(0) ≠ 0 的分量都已降到初值的 "
              "{level:.0%} 以下：把 t 调小，看 i 小的分量先消失。",
    },
    "claim.frequency.small_i_first.order": {
        "en": "At t = {t:.3g} a component with a larger i has fallen below {level:.0%} of its "
              "start before the one along v_{first_kept} (which keeps {kept_left:.0%}).",
        "zh": "在 t = {t:.3g} 时，一个 i 更大的分量先于 v_{first_kept} 方向（还剩 "
              "{kept_left:.0%}）降到初值的 {level:.0%} 以下。",
    },
    "claim.frequency.bands_low_first.yes": {
        "en": "Linearized model (dashed): Δ_k first falls to {level:g} for {times}: low k "
              "first.",
        "zh": "线性化模型（虚线）：Δ_k 首次降到 {level:g} 的时间为 {times}：低频 k 先下降。",
    },
    "claim.frequency.bands_low_first.no": {
        "en": "Linearized model (dashed): Δ_k first falls to {level:g} for {times}: not in "
              "order of k here.{why}",
        "zh": "线性化模型（虚线）：Δ_k 首次降到 {level:g} 的时间为 {times}：这里不是按 k 的顺序。"
              "{why}",
    },
    "claim.frequency.net_low_first.yes": {
        "en": "Net of width {width} (solid), trained to t = {t_end:.3g}: {times}: low k first "
              "too. Its weights moved by {weight_change:.0%} of their norm.",
        "zh": "宽度 {width} 的网络（实线），训练到 t = {t_end:.3g}：{times}：同样是低频 k 先下降。"
              "它的权重改变了范数的 {weight_change:.0%}。",
    },
    "claim.frequency.net_low_first.no": {
        "en": "Net of width {width} (solid), trained to t = {t_end:.3g}: {times}: not in "
              "order of k here.{why} Its weights moved by {weight_change:.0%} of their norm.",
        "zh": "宽度 {width} 的网络（实线），训练到 t = {t_end:.3g}：{times}：这里不是按 k 的顺序。"
              "{why}它的权重改变了范数的 {weight_change:.0%}。",
    },
})


# --- controls and legends of the widgets (app/controls.py, figures/spectrum.py): added keys only
STRINGS.update({
    "spectrum.crossings.shown": {"en": "v_i shown", "zh": "所显示的 v_i"},
})


# --- nets on digits beside their linearization (ntklab.experiments.digits): checked claims
STRINGS.update({
    "claim.digits.agree.yes": {
        "en": "After {steps} steps the net (width {m}) and its linearization agree on the "
              "test digits: RMSE(f_NN, f_lin) {gap:.2g}, {percent:.1f} % of the outputs' size "
              "({size:.2g}, RMS), and they predict the same class for {same:.1f} % of them.",
        "zh": "训练 {steps} 步后，网络（宽度 {m}）与其线性化在测试数字上一致："
              "RMSE(f_NN, f_lin) 为 {gap:.2g}，是输出大小（{size:.2g}，RMS）的 "
              "{percent:.1f}%，二者对 {same:.1f}% 的数字预测相同的类别。",
    },
    "claim.digits.agree.no": {
        "en": "After {steps} steps the net (width {m}) has left its linearization: "
              "RMSE(f_NN, f_lin) {gap:.2g} on the test digits, {percent:.0f} % of the outputs' "
              "size ({size:.2g}, RMS); they predict the same class for {same:.1f} % of them. "
              "A wider net stays closer.",
        "zh": "训练 {steps} 步后，网络（宽度 {m}）已偏离其线性化：测试数字上 "
              "RMSE(f_NN, f_lin) 为 {gap:.2g}，是输出大小（{size:.2g}，RMS）的 "
              "{percent:.0f}%；二者对 {same:.1f}% 的数字预测相同的类别。更宽的网络会更接近。",
    },
    "claim.digits.same_accuracy.yes": {
        "en": "Net and linearization are equally accurate on the test digits: {net:.1f} % "
              "and {lin:.1f} % (within {limit:.0f} points).",
        "zh": "网络与线性化在测试数字上同样准确：{net:.1f}% 与 {lin:.1f}%"
              "（相差不超过 {limit:.0f} 个百分点）。",
    },
    "claim.digits.same_accuracy.no": {
        "en": "Net and linearization differ in test accuracy: {net:.1f} % against "
              "{lin:.1f} % (more than {limit:.0f} points apart).",
        "zh": "网络与线性化的测试准确率不同：{net:.1f}% 对 {lin:.1f}%"
              "（相差超过 {limit:.0f} 个百分点）。",
    },
    "claim.digits.learns.yes": {
        "en": "The net learns: {net:.1f} % of the test digits right after {steps} steps, "
              "against {chance:.1f} % for always answering the most frequent class.",
        "zh": "网络学到了东西：训练 {steps} 步后测试数字正确率 {net:.1f}%，"
              "而总是回答最常见的类别只有 {chance:.1f}%。",
    },
    "claim.digits.learns.no": {
        "en": "After {steps} steps the net gets only {net:.1f} % of the test digits right "
              "(always answering the most frequent class: {chance:.1f} %): train longer or "
              "with momentum.",
        "zh": "训练 {steps} 步后网络只答对 {net:.1f}% 的测试数字（总是回答最常见的类别："
              "{chance:.1f}%）：请训练更久或使用动量。",
    },
    "claim.digits.gap_falls.yes": {
        "en": "The gap between net and linearization falls with width: fitted slope "
              "{slope:.2f} of log RMSE(f_NN, f_lin) against log m, m = {m_min}–{m_max}.",
        "zh": "网络与线性化之间的差距随宽度减小：在 m = {m_min}–{m_max} 上，"
              "log RMSE(f_NN, f_lin) 对 log m 的拟合斜率为 {slope:.2f}。",
    },
    "claim.digits.gap_falls.no": {
        "en": "At these settings the gap does not fall with width: fitted slope {slope:.2f} "
              "of log RMSE(f_NN, f_lin) against log m, m = {m_min}–{m_max}.",
        "zh": "在这些设置下差距并不随宽度减小：在 m = {m_min}–{m_max} 上，"
              "log RMSE(f_NN, f_lin) 对 log m 的拟合斜率为 {slope:.2f}。",
    },
    "claim.digits.slope_as_source.yes": {
        "en": "The slope {slope:.2f} is within ±{tol:.2f} of Lee et al. 2019's "
              "\"about 1/N\" ({source:.0f}).",
        "zh": "斜率 {slope:.2f} 与 Lee 等人 2019 年的“约 1/N”（{source:.0f}）相差在 "
              "±{tol:.2f} 以内。",
    },
    "claim.digits.slope_as_source.no": {
        "en": "The slope {slope:.2f} is not Lee et al. 2019's \"about 1/N\" ({source:.0f}, "
              "±{tol:.2f}): here the gap falls more slowly (or faster) with width.",
        "zh": "斜率 {slope:.2f} 不是 Lee 等人 2019 年的“约 1/N”（{source:.0f}，±{tol:.2f}）："
              "这里差距随宽度减小得更慢（或更快）。",
    },
    "claim.digits.gap_grows_with_n.yes": {
        "en": "The gap grows with the number of training digits (fitted slope {slope:.2f}, "
              "n = {n_min}–{n_max}), as Lee et al. 2019 report.",
        "zh": "差距随训练数字的数量增大（拟合斜率 {slope:.2f}，n = {n_min}–{n_max}），"
              "与 Lee 等人 2019 年的报告一致。",
    },
    "claim.digits.gap_grows_with_n.no": {
        "en": "The gap does not grow with the number of training digits here (fitted slope "
              "{slope:.2f}, n = {n_min}–{n_max}), unlike Lee et al. 2019's report.",
        "zh": "这里差距并不随训练数字的数量增大（拟合斜率 {slope:.2f}，n = {n_min}–{n_max}），"
              "与 Lee 等人 2019 年的报告不同。",
    },
})


# --- regimes dashboard (ntklab.app.regimes) and its checked claims ------------------------
STRINGS.update({
    "regimes.title": {"en": "Lazy or rich: the phase diagram of the two-layer ReLU net",
                      "zh": "惰性还是非线性：两层 ReLU 网络的相图"},
    "regimes.intro": {
        "en": "A two-layer ReLU net f(x) = (1/α) Σ_k a_k relu(w_k x + b_k) with α = m, "
              "a_k ~ N(0, β₁²), (w_k, b_k) ~ N(0, β₂²), where β₁β₂/α = m^(−γ) and β₁/β₂ = "
              "m^(−γ′) (Luo, Xu, Ma & Zhang, \"Phase diagram for two-layer ReLU neural "
              "networks at infinite-width limit\", 2021). It is trained by gradient descent "
              "on 6 points of sin 3x until its loss is below 10⁻⁴, beside its linearization. "
              "RD = ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ measures how far the input weights and biases "
              "moved: as m grows it tends to 0 in the linear regime (γ < 1 or γ′ > γ − 1), "
              "to ∞ in the condensed regime (γ > 1 and γ′ < γ − 1), and stays O(1) on the "
              "boundary. (γ, γ′) = (0.5, 0) trains like the NTK net, (1, 0) like the "
              "mean-field net. Definitions and measurements: docs/science.md §3.11.",
        "zh": "两层 ReLU 网络 f(x) = (1/α) Σ_k a_k relu(w_k x + b_k)，α = m，"
              "a_k ~ N(0, β₁²)，(w_k, b_k) ~ N(0, β₂²)，其中 β₁β₂/α = m^(−γ)，β₁/β₂ = m^(−γ′)"
              "（Luo、Xu、Ma 与 Zhang，《Phase diagram for two-layer ReLU neural networks at "
              "infinite-width limit》，2021）。它在 sin 3x 的 6 个点上做梯度下降，直到损失低于 "
              "10⁻⁴，并与它的线性化模型并排训练。RD = ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ "
              "衡量输入权重和偏置移动了多远：随 m 增大，它在线性区（γ < 1 或 γ′ > γ − 1）趋于 0，"
              "在凝聚区（γ > 1 且 γ′ < γ − 1）趋于 ∞，在边界上保持 O(1)。"
              "(γ, γ′) = (0.5, 0) 的训练与 NTK 网络相同，(1, 0) 与平均场网络相同。"
              "定义与实测见 docs/science.md §3.11。",
    },
    "regimes.gamma": {"en": "γ", "zh": "γ"},
    "regimes.gp": {"en": "γ′", "zh": "γ′"},
    "regimes.m": {"en": "width m", "zh": "宽度 m"},
    "regimes.steps": {"en": "step cap", "zh": "步数上限"},
    "regimes.seed": {"en": "seed", "zh": "随机种子"},
    "regimes.t": {"en": "t = Σ η_k", "zh": "t = Σ η_k"},
    "regimes.working": {"en": "training width {m} at (γ, γ′) = ({gamma:g}, {gp:g})",
                        "zh": "训练宽度 {m}，(γ, γ′) = ({gamma:g}, {gp:g})"},
    "regimes.regime.linear": {"en": "linear", "zh": "线性区"},
    "regimes.regime.critical": {"en": "critical", "zh": "临界区"},
    "regimes.regime.condensed": {"en": "condensed", "zh": "凝聚区"},
    "regimes.neurons.title": {"en": "Neurons: orientation against output mass",
                              "zh": "神经元：方向与输出质量"},
    "regimes.neurons.x": {"en": "orientation φ_k = atan2(b_k, w_k) (degrees)",
                          "zh": "方向 φ_k = atan2(b_k, w_k)（度）"},
    "regimes.neurons.y": {"en": "|a_k|·‖(w_k, b_k)‖", "zh": "|a_k|·‖(w_k, b_k)‖"},
    "regimes.neurons.init": {"en": "at init", "zh": "初始化时"},
    "regimes.neurons.now": {"en": "trained", "zh": "训练后"},
    "regimes.neurons.caption": {
        "en": "Each point is one neuron k: the direction of its input weight and bias "
              "(w_k, b_k) (its kink sits at x = −b_k/w_k) and the size |a_k|·‖(w_k, b_k)‖ of "
              "its term in f, grey at init and blue after training (at most 1024 neurons "
              "drawn). Condensation means the blue points gather at a few orientations.",
        "zh": "每个点是一个神经元 k：其输入权重与偏置 (w_k, b_k) 的方向（折点位于 "
              "x = −b_k/w_k），以及它在 f 中那一项的大小 |a_k|·‖(w_k, b_k)‖；灰色为初始化时，"
              "蓝色为训练后（最多画 1024 个神经元）。凝聚指蓝点聚集到少数几个方向上。",
    },
    "regimes.fit.title": {"en": "Fit at (γ, γ′) = ({gamma:g}, {gp:g}), m = {m}",
                          "zh": "拟合：(γ, γ′) = ({gamma:g}, {gp:g})，m = {m}"},
    "regimes.fit.target": {"en": "target sin 3x", "zh": "目标 sin 3x"},
    "regimes.fit.train": {"en": "training points", "zh": "训练点"},
    "regimes.fit.caption": {
        "en": "The trained net f_NN and its linearization f_lin = f_0 + ∇f_0·(θ − θ_0), "
              "trained with the same steps, on the 6 training points of sin 3x. A net whose "
              "neurons condense is piecewise linear with kinks at few places.",
        "zh": "训练后的网络 f_NN 与它的线性化 f_lin = f_0 + ∇f_0·(θ − θ_0)（用相同的步长训练），"
              "训练点为 sin 3x 的 6 个点。神经元凝聚的网络是分段线性的，折点只在少数几处。",
    },
    "regimes.rd.title": {"en": "RD(t) and the concentration over time",
                         "zh": "RD(t) 与集中度随时间的变化"},
    "regimes.rd.rd": {"en": "RD(t) of (w, b)", "zh": "(w, b) 的 RD(t)"},
    "regimes.rd.concentration": {"en": "concentration", "zh": "集中度"},
    "regimes.rd.caption": {
        "en": "RD(t) = ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖ of the input weights and biases, and the "
              "concentration: the fraction of the output mass within ±5° of the 4 heaviest "
              "orientations. Time is t = Σ η_k with the adaptive step η_k = "
              "0.25/(λ_max(K_t) + λ_res), a bound on the loss Hessian (docs/science.md §3.11).",
        "zh": "输入权重和偏置的 RD(t) = ‖θ_w(t) − θ_w(0)‖/‖θ_w(0)‖，以及集中度："
              "落在最重的 4 个方向 ±5° 以内的输出质量所占比例。时间 t = Σ η_k，自适应步长 "
              "η_k = 0.25/(λ_max(K_t) + λ_res)，"
              "这是损失 Hessian 的一个上界（见 docs/science.md §3.11）。",
    },
    "regimes.map.title": {"en": "Measured phase diagram: slope of RD against m",
                          "zh": "实测相图：RD 随 m 变化的斜率"},
    "regimes.map.slope": {"en": "slope of RD vs m", "zh": "RD 对 m 的斜率"},
    "regimes.map.boundary": {"en": "boundary (Luo et al. 2021)",
                             "zh": "边界（Luo 等，2021）"},
    "regimes.map.unconverged": {"en": "not converged within {cap} steps",
                                "zh": "{cap} 步内未收敛"},
    "regimes.map.named": {"en": "named initializations", "zh": "常见初始化"},
    "regimes.map.current": {"en": "this net", "zh": "当前网络"},
    "regimes.map.caption": {
        "en": "Each cell is the log-log slope of RD against m = 256, 1024, 4096 (one seed, "
              "the step 0.25/(λ_max + λ_res), computed once and shipped with ntklab): blue "
              "below 0 (RD shrinks with width: linear), red above 0 (RD grows: condensed). "
              "The black line is the theorem's boundary; the star is this net's (γ, γ′); "
              "crossed cells had not reached the loss 10⁻⁴ within the map's step cap (in its "
              "legend).",
        "zh": "每一格是 RD 对 m = 256、1024、4096 的双对数斜率（一个随机种子，步长 "
              "0.25/(λ_max + λ_res)，预先计算并随 ntklab 发布）："
              "蓝色小于 0（RD 随宽度减小：线性区），"
              "红色大于 0（RD 增大：凝聚区）。黑线是定理给出的边界；星号是当前网络的 (γ, γ′)；"
              "打叉的格子在相图的步数上限（见图例）内没有达到损失 10⁻⁴。",
    },
    "regimes.sweep.button": {"en": "Measure RD at widths {widths}",
                             "zh": "测量宽度 {widths} 下的 RD"},
    "regimes.sweep.working": {"en": "RD against width: m = {m} ({i}/{k})",
                              "zh": "RD 随宽度变化：m = {m}（{i}/{k}）"},
    "regimes.sweep.empty": {"en": "RD against width (press the button)",
                            "zh": "RD 随宽度的变化（请按按钮）"},
    "regimes.sweep.title": {"en": "RD against width at (γ, γ′) = ({gamma:g}, {gp:g}): "
                                  "slope {slope:+.2f}",
                            "zh": "(γ, γ′) = ({gamma:g}, {gp:g}) 时 RD 随宽度的变化：斜率 "
                                  "{slope:+.2f}"},
    "regimes.sweep.rd": {"en": "RD", "zh": "RD"},
    "regimes.sweep.slope": {"en": "slope", "zh": "斜率"},
    "regimes.sweep.caption": {
        "en": "RD of nets of width 256, 1024 and 4096 (this seed), each trained until its "
              "loss is below 10⁻⁴, on log-log axes with the fitted power law; its slope is "
              "what each cell of the map shows.",
        "zh": "宽度 256、1024、4096 的网络（当前种子）各自训练到损失低于 10⁻⁴ 后的 RD，"
              "画在双对数坐标上，并配上拟合的幂律；其斜率就是相图中每一格显示的量。",
    },
    "claim.regimes.fits.yes": {
        "en": "The net fit its training points: loss {loss:.2g} ≤ {tol:g} after {steps} steps "
              "(t = {t:.3g}).",
        "zh": "网络拟合了训练点：{steps} 步后（t = {t:.3g}）损失 {loss:.2g} ≤ {tol:g}。",
    },
    "claim.regimes.fits.no": {
        "en": "After the cap of {cap} steps the loss is still {loss:.2g} (> {tol:g}): the "
              "points are not fit yet; raise the step cap.",
        "zh": "达到 {cap} 步上限后损失仍为 {loss:.2g}（> {tol:g}）：还没有拟合训练点；"
              "请提高步数上限。",
    },
    "claim.regimes.follows_lin.yes": {
        "en": "f_NN stays on its linearization: RMSE(f_NN, f_lin) = {gap:.2g}, {percent:.1f} % "
              "of the outputs' size.",
        "zh": "f_NN 与它的线性化重合：RMSE(f_NN, f_lin) = {gap:.2g}，为输出大小的 {percent:.1f}%。",
    },
    "claim.regimes.follows_lin.no": {
        "en": "f_NN parts from its linearization: RMSE(f_NN, f_lin) = {gap:.2g}, "
              "{percent:.0f} % of the outputs' size (the linearization's loss is {loss_lin:.2g}).",
        "zh": "f_NN 偏离了它的线性化：RMSE(f_NN, f_lin) = {gap:.2g}，为输出大小的 "
              "{percent:.0f}%（线性化模型的损失为 {loss_lin:.2g}）。",
    },
    "claim.regimes.moved_little.yes": {
        "en": "The input weights barely moved: RD = {percent:.1f} % (≤ {limit:g} %).",
        "zh": "输入权重几乎没有移动：RD = {percent:.1f}%（≤ {limit:g}%）。",
    },
    "claim.regimes.moved_little.no": {
        "en": "The input weights moved: RD = {rd:.3g} ({percent:.0f} % of their initial norm).",
        "zh": "输入权重发生了移动：RD = {rd:.3g}（初始范数的 {percent:.0f}%）。",
    },
    "claim.regimes.condensed.yes": {
        "en": "The neurons condensed: {end:.1f} % of the output mass lies within ±{delta:g}° "
              "of {top} orientations (at init {init:.0f} %).",
        "zh": "神经元发生了凝聚：{end:.1f}% 的输出质量落在 {top} 个方向的 ±{delta:g}° 以内"
              "（初始化时为 {init:.0f}%）。",
    },
    "claim.regimes.condensed.no": {
        "en": "No condensation by this measure: {end:.0f} % of the output mass within "
              "±{delta:g}° of {top} orientations (at init {init:.0f} %; condensed would be "
              "≥ {limit:g} % from below it).",
        "zh": "按这一度量没有凝聚：{top} 个方向 ±{delta:g}° 以内的输出质量占 {end:.0f}%"
              "（初始化时为 {init:.0f}%；凝聚应当从低于 {limit:g}% 变为不低于 {limit:g}%）。",
    },
    "claim.regimes.kernel_grew.yes": {
        "en": "The kernel grew {growth:.3g}-fold during training (λ_max(K_t)/λ_max(K_0)): a "
              "fixed step 1/λ_max(K_0) would have become unstable.",
        "zh": "训练中核增大了 {growth:.3g} 倍（λ_max(K_t)/λ_max(K_0)）："
              "固定步长 1/λ_max(K_0) 会变得不稳定。",
    },
    "claim.regimes.kernel_grew.no": {
        "en": "The kernel barely changed: λ_max(K_t)/λ_max(K_0) = {growth:.3g}.",
        "zh": "核几乎没有变化：λ_max(K_t)/λ_max(K_0) = {growth:.3g}。",
    },
    "claim.regimes.slope_as_theory.yes": {
        "en": "At widths {widths}, RD's fitted slope is {slope:+.2f} (mean over {seeds} random "
              "seed(s); single seeds {lo:+.2f} to {hi:+.2f}): {said}, as the theorem says for "
              "(γ, γ′) = ({gamma:g}, {gamma_prime:g}) (a slope within ±{eps:g} counts as 0).",
        "zh": "在宽度 {widths} 下，RD 的拟合斜率为 {slope:+.2f}（{seeds} 个随机种子的平均；"
              "单个种子为 {lo:+.2f} 到 {hi:+.2f}）：属于{said}，与定理对 (γ, γ′) = "
              "({gamma:g}, {gamma_prime:g}) 的结论一致（±{eps:g} 以内的斜率算作 0）。",
    },
    "claim.regimes.slope_as_theory.no": {
        "en": "At widths {widths}, RD's fitted slope is {slope:+.2f} (mean over {seeds} random "
              "seed(s); single seeds {lo:+.2f} to {hi:+.2f}), which reads {said}, but the "
              "theorem puts (γ, γ′) = ({gamma:g}, {gamma_prime:g}) in the {theory} regime as "
              "m → ∞: these widths are not the limit (a slope within ±{eps:g} counts as 0).",
        "zh": "在宽度 {widths} 下，RD 的拟合斜率为 {slope:+.2f}（{seeds} 个随机种子的平均；"
              "单个种子为 {lo:+.2f} 到 {hi:+.2f}），看起来属于{said}；但定理在 m → ∞ 时把 "
              "(γ, γ′) = ({gamma:g}, {gamma_prime:g}) 归入{theory}：这些宽度还不是极限"
              "（±{eps:g} 以内的斜率算作 0）。",
    },
    "claim.regimes.map_agrees.yes": {
        "en": "In all {total} converged cells off the boundary, the sign of the slope is the "
              "theorem's regime ({converged} of {cells} cells converged). On the boundary "
              "{line_agree} of {line_total} converged cells measure a slope within ±{eps:g} "
              "(the largest |slope| there is {line_worst:.2f}).",
        "zh": "在边界之外所有 {total} 个已收敛的格子里，斜率的符号与定理给出的区域一致"
              "（{cells} 个格子中有 {converged} 个收敛）。在边界上，{line_total} 个已收敛的格子中"
              "有 {line_agree} 个的斜率在 ±{eps:g} 以内（那里最大的 |斜率| 为 {line_worst:.2f}）。",
    },
    "claim.regimes.map_agrees.no": {
        "en": "In {agree} of the {total} converged cells off the boundary the sign of the slope "
              "is the theorem's regime ({converged} of {cells} cells converged); on the "
              "boundary {line_agree} of {line_total} measure a slope within ±{eps:g} (the "
              "largest |slope| there is {line_worst:.2f}).",
        "zh": "在边界之外 {total} 个已收敛的格子中，有 {agree} 个的斜率符号与定理一致"
              "（{cells} 个格子中有 {converged} 个收敛）；在边界上，{line_total} 个中有 "
              "{line_agree} 个的斜率在 ±{eps:g} 以内（那里最大的 |斜率| 为 {line_worst:.2f}）。",
    },
    # the kernel table (ntklab.experiments.kernel_table; Arora et al. 2019, Table 1)
    "claim.kernel_table.gap_helps_kernels.yes": {
        "en": "Global average pooling helps the kernel: CNTK-GAP reaches {gap_min:.1f}-"
              "{gap_max:.1f} % against CNTK-flatten's {flat_min:.1f}-{flat_max:.1f} % at "
              "depths {depths}, ahead at every depth (by at least {margin:.1f} points), as "
              "Arora et al. 2019 found on CIFAR-10 ({arora_gap} % against {arora_flat} %).",
        "zh": "全局平均池化让核更好：在深度 {depths}，CNTK-GAP 达到 {gap_min:.1f}–{gap_max:.1f}%，"
              "CNTK-flatten 为 {flat_min:.1f}–{flat_max:.1f}%，每个深度都领先（至少 "
              "{margin:.1f} 个百分点），与 Arora 等人 2019 年在 CIFAR-10 上的结果一致"
              "（{arora_gap}% 对 {arora_flat}%）。",
    },
    "claim.kernel_table.gap_helps_kernels.no": {
        "en": "Here global average pooling does not help the kernel at every depth: at depth "
              "{worst_depth} CNTK-GAP trails CNTK-flatten by {margin:.1f} points (CNTK-GAP "
              "{gap_min:.1f}-{gap_max:.1f} %, CNTK-flatten {flat_min:.1f}-{flat_max:.1f} %), "
              "unlike Arora et al. 2019 on CIFAR-10 ({arora_gap} % against {arora_flat} %).",
        "zh": "这里全局平均池化并非在每个深度都让核更好：在深度 {worst_depth}，CNTK-GAP 比 "
              "CNTK-flatten 低 {margin:.1f} 个百分点（CNTK-GAP {gap_min:.1f}–{gap_max:.1f}%，"
              "CNTK-flatten {flat_min:.1f}–{flat_max:.1f}%），与 Arora 等人 2019 年在 "
              "CIFAR-10 上的结果（{arora_gap}% 对 {arora_flat}%）不同。",
    },
    "claim.kernel_table.gap_helps_nets.yes": {
        "en": "Pooling helps the trained nets too: CNN-GAP beats CNN-flatten in all {cells} "
              "cells (best {best_gap:.1f} % against {best_flat:.1f} %; Arora et al. 2019: "
              "{arora_gap} % against {arora_flat} %).",
        "zh": "池化也让训练后的网络更好：在全部 {cells} 个格子中 CNN-GAP 都胜过 CNN-flatten"
              "（最好 {best_gap:.1f}% 对 {best_flat:.1f}%；Arora 等人 2019：{arora_gap}% 对 "
              "{arora_flat}%）。",
    },
    "claim.kernel_table.gap_helps_nets.no": {
        "en": "For the trained nets pooling does not help in every cell here: CNN-GAP beats "
              "CNN-flatten in {wins} of {cells} cells; at depth {worst_depth}, width "
              "{worst_width} it reaches {worst_gap:.1f} % against {worst_flat:.1f} %, having "
              "fit only {worst_gap_train:.0f} % of its training digits in {steps} steps (best "
              "{best_gap:.1f} % against {best_flat:.1f} %). Arora et al. 2019's best nets on "
              "CIFAR-10: {arora_gap} % against {arora_flat} %.",
        "zh": "对训练后的网络，这里池化并非在每个格子都有帮助：{cells} 个格子中 CNN-GAP 在 {wins} "
              "个胜过 CNN-flatten；在深度 {worst_depth}、宽度 {worst_width}，它为 "
              "{worst_gap:.1f}%，对方为 {worst_flat:.1f}%，它在 {steps} 步内只拟合了 "
              "{worst_gap_train:.0f}% 的训练数字（最好 {best_gap:.1f}% 对 {best_flat:.1f}%）。"
              "Arora 等人 2019 年在 CIFAR-10 上最好的网络：{arora_gap}% 对 {arora_flat}%。",
    },
    "claim.kernel_table.finite_beats_kernel.yes": {
        "en": "A gap remains between finite and infinite width, in Arora et al. 2019's "
              "direction: the best trained CNN-GAP (depth {net_depth}, width {net_width}) "
              "reaches {net:.1f} %, {diff:.1f} points above the best CNTK-GAP ({kernel:.1f} %, "
              "depth {kernel_depth}); on CIFAR-10 they found {arora_net} % against "
              "{arora_kernel} %.",
        "zh": "有限宽与无限宽之间仍有差距，方向与 Arora 等人 2019 相同：最好的训练后 CNN-GAP"
              "（深度 {net_depth}，宽度 {net_width}）达到 {net:.1f}%，比最好的 CNTK-GAP"
              "（{kernel:.1f}%，深度 {kernel_depth}）高 {diff:.1f} 个百分点；他们在 CIFAR-10 "
              "上得到 {arora_net}% 对 {arora_kernel}%。",
    },
    "claim.kernel_table.finite_beats_kernel.no": {
        "en": "A gap remains between finite and infinite width, but opposite to Arora et al. "
              "2019's: the best CNTK-GAP (depth {kernel_depth}) reaches {kernel:.1f} %, "
              "{diff:.1f} points above the best trained CNN-GAP ({net:.1f} %, depth "
              "{net_depth}, width {net_width}; CNTK-GAP at that depth: "
              "{kernel_at_net_depth:.1f} %); on CIFAR-10 their best net beat the kernel "
              "({arora_net} % against {arora_kernel} %).",
        "zh": "有限宽与无限宽之间仍有差距，但方向与 Arora 等人 2019 相反：最好的 CNTK-GAP"
              "（深度 {kernel_depth}）达到 {kernel:.1f}%，比最好的训练后 CNN-GAP（{net:.1f}%，"
              "深度 {net_depth}，宽度 {net_width}；同一深度的 CNTK-GAP 为 "
              "{kernel_at_net_depth:.1f}%）高 {diff:.1f} 个百分点；在 CIFAR-10 上，"
              "他们最好的网络胜过了核（{arora_net}% 对 {arora_kernel}%）。",
    },
    "claim.kernel_table.conv_beats_fc.yes": {
        "en": "Convolution helps: the best CNTK ({conv_model}, depth {conv_depth}) reaches "
              "{conv:.1f} % against the fully connected NTK's best {fc:.1f} % (depth "
              "{fc_depth}).",
        "zh": "卷积有帮助：最好的 CNTK（{conv_model}，深度 {conv_depth}）达到 {conv:.1f}%，"
              "全连接 NTK 最好为 {fc:.1f}%（深度 {fc_depth}）。",
    },
    "claim.kernel_table.conv_beats_fc.no": {
        "en": "Convolution does not help here: the fully connected NTK reaches {fc:.1f} % "
              "(depth {fc_depth}), the best CNTK ({conv_model}, depth {conv_depth}) "
              "{conv:.1f} %.",
        "zh": "这里卷积没有帮助：全连接 NTK 达到 {fc:.1f}%（深度 {fc_depth}），最好的 CNTK"
              "（{conv_model}，深度 {conv_depth}）为 {conv:.1f}%。",
    },
})

# --- every architecture has a kernel (issue 18): claims of ntklab.experiments.architectures --
STRINGS.update({
    "claim.architectures.rnn_gaussian.yes": {
        "en": "Over {nets} random recurrent nets (width {m}, T = {T}) the output f(x₀) is "
              "Gaussian as the limit says: second moment {var:.3g} against Σ(x₀, x₀) = "
              "{sigma:.3g} (standard error {se:.2g}), excess kurtosis {kurtosis:+.2f} "
              "(|κ| ≤ {limit:.2f}).",
        "zh": "在 {nets} 个随机循环网络（宽度 {m}，T = {T}）上，输出 f(x₀) 如极限所说是高斯的："
              "二阶矩 {var:.3g}，而 Σ(x₀, x₀) = {sigma:.3g}（标准误差 {se:.2g}），"
              "超额峰度 {kurtosis:+.2f}（|κ| ≤ {limit:.2f}）。",
    },
    "claim.architectures.rnn_gaussian.no": {
        "en": "Over {nets} random recurrent nets (width {m}, T = {T}) f(x₀) is not yet the "
              "limit's Gaussian: second moment {var:.3g} against Σ(x₀, x₀) = {sigma:.3g} "
              "(standard error {se:.2g}), excess kurtosis {kurtosis:+.2f} (allowed ±{limit:.2f}); "
              "use wider nets or more of them.",
        "zh": "在 {nets} 个随机循环网络（宽度 {m}，T = {T}）上，f(x₀) 还不是极限的高斯分布："
              "二阶矩 {var:.3g}，而 Σ(x₀, x₀) = {sigma:.3g}（标准误差 {se:.2g}），"
              "超额峰度 {kurtosis:+.2f}（允许 ±{limit:.2f}）；请用更宽或更多的网络。",
    },
    "claim.architectures.rnn_covariance.yes": {
        "en": "The outputs on two sequences covary as the limit says: mean f(x₀)f(x₁) = "
              "{cov:.3g} against Σ(x₀, x₁) = {sigma:.3g} (standard error {se:.2g}, {nets} nets "
              "of width {m}).",
        "zh": "两个序列上的输出如极限所说地相关：f(x₀)f(x₁) 的平均为 {cov:.3g}，"
              "而 Σ(x₀, x₁) = {sigma:.3g}（标准误差 {se:.2g}，{nets} 个宽度 {m} 的网络）。",
    },
    "claim.architectures.rnn_covariance.no": {
        "en": "Mean f(x₀)f(x₁) = {cov:.3g} is off Σ(x₀, x₁) = {sigma:.3g} by more than the "
              "sampling error allows (standard error {se:.2g}, {nets} nets of width {m}); use "
              "wider nets or more of them.",
        "zh": "f(x₀)f(x₁) 的平均 {cov:.3g} 与 Σ(x₀, x₁) = {sigma:.3g} 的差超出了抽样误差"
              "（标准误差 {se:.2g}，{nets} 个宽度 {m} 的网络）；请用更宽或更多的网络。",
    },
    "claim.architectures.sharing_invisible.yes": {
        "en": "Sharing W across time does not change this kernel: the mean covariance given "
              "the hidden layer is within {shared:.1f} % of Σ with shared weights and within "
              "{fresh:.1f} % with a fresh W per step (width {m}, equal lengths T = {T}).",
        "zh": "在时间上共享 W 不改变这个核：给定隐藏层的平均协方差，共享权重时与 Σ 相差 "
              "{shared:.1f}% 以内，每步重新抽取 W 时相差 {fresh:.1f}% 以内（宽度 {m}，"
              "等长序列 T = {T}）。",
    },
    "claim.architectures.sharing_invisible.no": {
        "en": "The mean covariance given the hidden layer is {shared:.1f} % (shared W) and "
              "{fresh:.1f} % (fresh W per step) off Σ, more than the sampling error allows at "
              "width {m}: use wider nets or more of them.",
        "zh": "给定隐藏层的平均协方差与 Σ 相差 {shared:.1f}%（共享 W）和 {fresh:.1f}%"
              "（每步新 W），超出了宽度 {m} 时抽样误差的范围：请用更宽或更多的网络。",
    },
    "claim.architectures.rnn_error_shrinks.yes": {
        "en": "One net's covariance approaches Σ as the width grows: the relative error falls "
              "with a fitted slope of {slope:+.2f} from m = {lo} to {hi} (theory −1/2).",
        "zh": "随着宽度增大，单个网络的协方差趋向 Σ：从 m = {lo} 到 {hi}，相对误差的拟合斜率为 "
              "{slope:+.2f}（理论 −1/2）。",
    },
    "claim.architectures.rnn_error_shrinks.no": {
        "en": "From m = {lo} to {hi} the relative error's fitted slope is {slope:+.2f}, not "
              "below {limit:+.1f}: widen the range of widths or add seeds.",
        "zh": "从 m = {lo} 到 {hi}，相对误差的拟合斜率为 {slope:+.2f}，没有低于 {limit:+.1f}："
              "请扩大宽度范围或增加随机种子。",
    },
    "claim.architectures.ntk_concentrates.yes": {
        "en": "The NTK at init of the {architecture} net concentrates: its spread over seeds "
              "falls with a fitted slope of {slope:+.2f} from m = {lo} to {hi}.",
        "zh": "{architecture} 网络初始化时的 NTK 集中：它在随机种子间的离散度从 m = {lo} 到 "
              "{hi} 以拟合斜率 {slope:+.2f} 下降。",
    },
    "claim.architectures.ntk_concentrates.no": {
        "en": "The spread of the {architecture} net's NTK at init falls with a fitted slope of "
              "only {slope:+.2f} from m = {lo} to {hi} (not below {limit:+.1f}): use wider nets "
              "or more seeds.",
        "zh": "{architecture} 网络初始化时 NTK 的离散度从 m = {lo} 到 {hi} 的拟合斜率只有 "
              "{slope:+.2f}（没有低于 {limit:+.1f}）：请用更宽的网络或更多随机种子。",
    },
    "claim.architectures.laws_fit.yes": {
        "en": "At n = {n} the eigenvalues follow the laws: Kolmogorov–Smirnov distance "
              "{ks_semicircle:.3f} to the semicircle and {ks_mp:.3f} to Marchenko–Pastur "
              "(ratio {ratio:g}); both fall with n (fitted slopes {slope_semicircle:+.2f} and "
              "{slope_mp:+.2f}).",
        "zh": "在 n = {n} 时特征值服从这两个定律：与半圆律的 Kolmogorov–Smirnov 距离为 "
              "{ks_semicircle:.3f}，与 Marchenko–Pastur 律（比例 {ratio:g}）为 {ks_mp:.3f}；"
              "两者都随 n 下降（拟合斜率 {slope_semicircle:+.2f} 和 {slope_mp:+.2f}）。",
    },
    "claim.architectures.laws_fit.no": {
        "en": "At n = {n} the Kolmogorov–Smirnov distances are {ks_semicircle:.3f} "
              "(semicircle) and {ks_mp:.3f} (Marchenko–Pastur), slopes {slope_semicircle:+.2f} "
              "and {slope_mp:+.2f}: not yet within {limit:g} and falling; use larger n.",
        "zh": "在 n = {n} 时 Kolmogorov–Smirnov 距离为 {ks_semicircle:.3f}（半圆律）和 "
              "{ks_mp:.3f}（Marchenko–Pastur），斜率 {slope_semicircle:+.2f} 和 "
              "{slope_mp:+.2f}：还没有降到 {limit:g} 以内并下降；请用更大的 n。",
    },
    "claim.architectures.weights_follow_laws.yes": {
        "en": "A recurrent net's own W at init (m = {m}) follows the laws: WᵀW/(s²m) is "
              "Marchenko–Pastur with ratio 1 (KS {ks_wtw:.3f}) and (W + Wᵀ)/(s√(2m)) a "
              "semicircle (KS {ks_sym:.3f}).",
        "zh": "循环网络初始化时自己的 W（m = {m}）服从这些定律：WᵀW/(s²m) 是比例为 1 的 "
              "Marchenko–Pastur 律（KS {ks_wtw:.3f}），(W + Wᵀ)/(s√(2m)) 是半圆律"
              "（KS {ks_sym:.3f}）。",
    },
    "claim.architectures.weights_follow_laws.no": {
        "en": "At m = {m} the net's W is still off the laws: KS {ks_wtw:.3f} (WᵀW against "
              "Marchenko–Pastur) and {ks_sym:.3f} (symmetrized, against the semicircle), "
              "allowed {limit:g}; use a wider net.",
        "zh": "在 m = {m} 时网络的 W 还偏离这些定律：KS {ks_wtw:.3f}（WᵀW 对 Marchenko–Pastur）"
              "和 {ks_sym:.3f}（对称化后对半圆律），允许 {limit:g}；请用更宽的网络。",
    },
    "claim.architectures.independence_holds.yes": {
        "en": "With zero-mean output weights the gradient independence assumption holds: "
              "backpropagating through independent copies of the weights changes the first "
              "layer's backward kernel by {gap:+.1f} % (standard error {se:.1f} %; m = {m}, "
              "L = {L}, {seeds} nets).",
        "zh": "输出权重均值为零时，梯度独立假设成立：用权重的独立副本做反向传播，"
              "第一层的反向核只变化 {gap:+.1f}%（标准误差 {se:.1f}%；m = {m}，L = {L}，"
              "{seeds} 个网络）。",
    },
    "claim.architectures.independence_holds.no": {
        "en": "Even with zero-mean output weights, independent copies change the first "
              "layer's backward kernel by {gap:+.1f} % (standard error {se:.1f} %; m = {m}, "
              "L = {L}, {seeds} nets): at this width the assumption is not yet accurate.",
        "zh": "即使输出权重均值为零，独立副本也使第一层的反向核变化 {gap:+.1f}%"
              "（标准误差 {se:.1f}%；m = {m}，L = {L}，{seeds} 个网络）："
              "在这个宽度下该假设还不准确。",
    },
    "claim.architectures.independence_fails.yes": {
        "en": "With constant output weights (a_j = s) the assumption fails: the true backward "
              "pass gives a first-layer kernel {gap:+.0f} % off the independent copies' "
              "(standard error {se:.1f} %); Yang (2019) computes the correct limit, ntklab "
              "does not.",
        "zh": "输出权重为常数（a_j = s）时该假设失效：真实的反向传播给出的第一层反向核与独立副本"
              "相差 {gap:+.0f}%（标准误差 {se:.1f}%）；"
              "Yang (2019) 能算出正确的极限，ntklab 没有实现。",
    },
    "claim.architectures.independence_fails.no": {
        "en": "With constant output weights the true and independent backward passes differ "
              "by only {gap:+.1f} % (standard error {se:.1f} %, the claim needs more than "
              "{limit:.0f} %): at these settings the failure is not visible; use more nets.",
        "zh": "输出权重为常数时，真实与独立副本的反向传播只相差 {gap:+.1f}%（标准误差 "
              "{se:.1f}%，需要超过 {limit:.0f}%）：在这些设置下看不出失效；请用更多网络。",
    },
})

# --- digits dashboard (ntklab.app.digits); its claims: claim.digits.* above ---------------
STRINGS.update({
    "digits.title": {"en": "Digits: a net beside its linearization on real images",
                     "zh": "手写数字：真实图像上的网络与它的线性化"},
    "digits.intro": {
        "en": "An MLP on the flattened 8×8 images or a small CNN ([3×3 convolution → ReLU] "
              "→ global average pooling or flatten → dense) is trained on scikit-learn's "
              "bundled handwritten digits beside its linearization f_lin(x; θ) = f(x; θ₀) + "
              "∇_θ f(x; θ₀)·(θ − θ₀), with the same loss, optimizer, steps and minibatches. "
              "Lee et al. (\"Wide neural networks of any depth evolve as linear models under "
              "gradient descent\", 2019) found on CIFAR-10 and MNIST that wide nets track their "
              "linearization across losses and optimizers, and that the gap RMSE(f_NN, f_lin) "
              "falls with width (\"about 1/N\" for fully connected nets). Here: 3 against 8 "
              "(±1 targets, the analogue of their horse against plane) or all ten digits, "
              "50 test digits. Definitions and measurements: docs/science.md.",
        "zh": "在 scikit-learn 自带的手写数字上训练一个作用于展平 8×8 图像的 MLP，或一个小 CNN"
              "（[3×3 卷积 → ReLU] → 全局平均池化或展平 → 全连接），并与它的线性化 "
              "f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)·(θ − θ₀) 并排训练：损失、优化器、步数和"
              "小批量都相同。Lee 等人（《Wide neural networks of any depth evolve as linear "
              "models under gradient descent》，2019）在 CIFAR-10 和 MNIST 上发现，宽网络在各种"
              "损失和优化器下都紧跟它的线性化，且差距 RMSE(f_NN, f_lin) 随宽度减小（全连接网络"
              "“约为 1/N”）。这里的任务是 3 对 8（±1 目标，相当于他们的马对飞机）或全部十个数字，"
              "测试集 50 个数字。定义与实测见 docs/science.md。",
    },
    "digits.arch": {"en": "architecture", "zh": "结构"},
    "digits.arch.mlp": {"en": "MLP", "zh": "MLP"},
    "digits.arch.cnn": {"en": "CNN", "zh": "CNN"},
    "digits.pool": {"en": "pooling (CNN)", "zh": "池化（CNN）"},
    "digits.pool.flatten": {"en": "flatten", "zh": "展平"},
    "digits.pool.gap": {"en": "global average", "zh": "全局平均"},
    "digits.m": {"en": "width m (units or channels)", "zh": "宽度 m（神经元或通道数）"},
    "digits.loss": {"en": "loss", "zh": "损失"},
    "digits.loss.mse": {"en": "MSE", "zh": "均方误差"},
    "digits.loss.cross_entropy": {"en": "cross-entropy", "zh": "交叉熵"},
    "digits.opt": {"en": "optimizer", "zh": "优化器"},
    "digits.opt.gd": {"en": "GD", "zh": "梯度下降"},
    "digits.opt.momentum": {"en": "momentum", "zh": "动量"},
    "digits.opt.sgd": {"en": "SGD", "zh": "随机梯度下降"},
    "digits.task": {"en": "task", "zh": "任务"},
    "digits.task.38": {"en": "3 vs 8", "zh": "3 对 8"},
    "digits.task.all": {"en": "ten digits", "zh": "十个数字"},
    "digits.n": {"en": "training digits n", "zh": "训练数字数 n"},
    "digits.steps": {"en": "steps", "zh": "步数"},
    "digits.seed": {"en": "seed", "zh": "随机种子"},
    "digits.step": {"en": "step", "zh": "步"},
    "digits.net.test": {"en": "f_NN (test)", "zh": "f_NN（测试）"},
    "digits.lin.test": {"en": "f_lin (test)", "zh": "f_lin（测试）"},
    "digits.net.train": {"en": "f_NN (training)", "zh": "f_NN（训练）"},
    "digits.lin.train": {"en": "f_lin (training)", "zh": "f_lin（训练）"},
    "digits.chance": {"en": "chance", "zh": "随机猜测"},
    "digits.working": {"en": "training width {m} and its linearization on {n} digits",
                       "zh": "在 {n} 个数字上训练宽度 {m} 的网络及其线性化"},
    "digits.accuracy.title": {"en": "Test accuracy: {arch}, m = {m}",
                              "zh": "测试准确率：{arch}，m = {m}"},
    "digits.accuracy.y": {"en": "accuracy (%)", "zh": "准确率（%）"},
    "digits.accuracy.caption": {
        "en": "The share of the test digits each model classifies right, over training: the "
              "net solid, its linearization dashed; dotted, the net's accuracy on its "
              "training digits and the chance level (always the most frequent test class).",
        "zh": "训练过程中两个模型分对的测试数字比例：网络为实线，线性化为虚线；点线为网络在训练"
              "数字上的准确率与随机猜测水平（总是回答测试集中最多的类别）。",
    },
    "digits.loss_plot.title": {"en": "Test loss: {arch}, m = {m}",
                               "zh": "测试损失：{arch}，m = {m}"},
    "digits.loss_plot.y": {"en": "mean test loss", "zh": "平均测试损失"},
    "digits.loss_plot.caption": {
        "en": "The mean loss per digit (½‖f − y‖² for MSE, the cross-entropy otherwise) of "
              "the net and of its linearization, on the test digits (solid, dashed) and on "
              "the training digits (dotted, drawn at the end), on a log axis.",
        "zh": "网络与线性化每个数字的平均损失（MSE 为 ½‖f − y‖²，否则为交叉熵），测试数字为"
              "实线与虚线，训练数字为点线（训练结束时画出），对数坐标。",
    },
    "digits.test.title": {"en": "Test digits: label, net's and linearization's answer",
                          "zh": "测试数字：标签、网络与线性化的回答"},
    "digits.test.true": {"en": "label", "zh": "标签"},
    "digits.test.caption": {
        "en": "The first eight test digits after training, with the class the net (NN) and "
              "its linearization (lin) predict; ✗ marks a wrong answer.",
        "zh": "训练后的前八个测试数字，以及网络（NN）与线性化（lin）预测的类别；✗ 表示答错。",
    },
    "digits.rmse.title": {"en": "Gap between net and linearization: {arch}, m = {m}",
                          "zh": "网络与线性化之差：{arch}，m = {m}"},
    "digits.rmse.y": {"en": "RMSE(f_NN, f_lin)", "zh": "RMSE(f_NN, f_lin)"},
    "digits.rmse.gap": {"en": "RMSE(f_NN, f_lin), test digits",
                        "zh": "RMSE(f_NN, f_lin)，测试数字"},
    "digits.rmse.weights": {"en": "‖θ_t − θ₀‖/‖θ₀‖ (at the end)",
                            "zh": "‖θ_t − θ₀‖/‖θ₀‖（训练结束时画出）"},
    "digits.rmse.caption": {
        "en": "RMSE(f_NN, f_lin) over all test outputs (logits for the cross-entropy) during "
              "training, and how far the net's weights moved relative to their initial size; "
              "both start at 0, where net and linearization are the same function.",
        "zh": "训练过程中所有测试输出（交叉熵时为 logits）上的 RMSE(f_NN, f_lin)，以及网络权重"
              "相对初始大小移动了多少；两者都从 0 开始，那时网络与线性化是同一个函数。",
    },
    "digits.sweep.button": {"en": "Measure the gap against width",
                            "zh": "测量差距随宽度的变化"},
    "digits.sweep.working": {"en": "gap against width: m = {m} ({i}/{k})",
                             "zh": "差距随宽度变化：m = {m}（{i}/{k}）"},
    "digits.sweep.empty": {"en": "Gap against width (press the button)",
                           "zh": "差距随宽度的变化（请按按钮）"},
    "digits.sweep.title": {"en": "Gap against width ({arch}): slope {slope:+.2f}",
                           "zh": "差距随宽度的变化（{arch}）：斜率 {slope:+.2f}"},
    "digits.sweep.slope": {"en": "slope", "zh": "斜率"},
    "digits.sweep.source": {"en": "∝ 1/m (Lee et al. 2019)", "zh": "∝ 1/m（Lee 等人 2019）"},
    "digits.sweep.caption": {
        "en": "RMSE(f_NN, f_lin) on the test digits at the end of training for four widths "
              "(this seed, the other settings as above, one step size for all), on log-log "
              "axes with the fitted power law; Lee et al. (2019) report about 1/N, slope −1, "
              "for fully connected nets.",
        "zh": "四个宽度（当前种子，其余设置同上，步长相同）训练结束时测试数字上的 "
              "RMSE(f_NN, f_lin)，双对数坐标并配上拟合的幂律；Lee 等人（2019）对全连接网络"
              "报告约为 1/N，即斜率 −1。",
    },
})
