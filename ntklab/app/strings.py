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
              "(infinite width, f_0 = 0); solid: the trained net, which starts from its random "
              "output f_0 ≠ 0, so its Δ_k(0) is not 1. In both, low k falls first.",
        "zh": "|ŷ_k| 最大的三个频率 k。虚线：线性化模型（无限宽，f_0 = 0）；"
              "实线：训练的网络，它从随机的初始输出 f_0 ≠ 0 出发，所以 Δ_k(0) 不等于 1。"
              "两者都是低频 k 先下降。",
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
        "en": "All three start from the same f_0. For a wide net f_NN and f_lin stay on top of "
              "each other; at small m or large s they part. f_∞ uses the infinite-width "
              "kernel, so it differs from f_lin by the kernel's finite-width fluctuation.",
        "zh": "三条曲线都从同一个 f_0 出发。网络很宽时 f_NN 与 f_lin 几乎重合；"
              "m 小或 s 大时二者分开。f_∞ 用无限宽的核，与 f_lin 的差别来自有限宽核的涨落。",
    },
    "lazy.gap.title": {"en": "Distance between the models over time",
                       "zh": "模型之间的距离随时间变化"},
    "lazy.gap.caption": {
        "en": "RMSE over 200 test points. Lazy training means RMSE(f_NN, f_lin) stays small; "
              "widen the net (m) and watch it fall.",
        "zh": "在 200 个测试点上的均方根误差。惰性训练意味着 RMSE(f_NN, f_lin) 始终很小；"
              "增大宽度 m，看它下降。",
    },
    "lazy.drift.title": {"en": "Weight change and kernel drift",
                         "zh": "权重变化与核漂移"},
    "lazy.drift.y": {"en": "relative change", "zh": "相对变化"},
    "lazy.drift.caption": {
        "en": "How far the weights θ and the empirical NTK K move from init, relative to their "
              "size. Both shrink as m grows: the reason the linearization holds.",
        "zh": "权重 θ 和经验 NTK K 相对初始值移动了多少（相对其大小）。"
              "两者都随 m 增大而减小：这正是线性化成立的原因。",
    },
    "lazy.loss.title": {"en": "Training loss (drawn while training)",
                        "zh": "训练损失（训练中实时绘制）"},
    "lazy.loss.caption": {
        "en": "½Σ(f(x_i) − y_i)² on the n training points, after each compiled chunk of steps. "
              "The net and its linearization descend together when training is lazy.",
        "zh": "n 个训练点上的 ½Σ(f(x_i) − y_i)²，每完成一段编译好的训练步就更新。"
              "训练是惰性的时候，网络和它的线性化一起下降。",
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
    "lazy.sweep.y": {"en": "at the end of training", "zh": "训练结束时"},
    "lazy.sweep.slope": {"en": "fitted slope", "zh": "拟合斜率"},
    "lazy.sweep.caption": {
        "en": "Log-log: a straight line is a power law m^slope. The slopes are measured on "
              "this run (one seed, float64, one η shared by all widths), not assumed; the "
              "sources' 'about 1/m' would be −1, the weight change is expected near −1/2.",
        "zh": "双对数坐标：直线代表幂律 m^斜率。斜率是本次运行实测的（一个种子、float64、"
              "所有宽度共用一个 η），不是假设的；种子文献说的“约 1/m”对应 −1，"
              "权重变化预期接近 −1/2。",
    },
})

STRINGS.update({
    # initialization
    "init.title": {"en": "Initialization: the initial output stays in the trained function",
                   "zh": "初始化：初始输出会留在训练后的函数里"},
    "init.intro": {
        "en": "Four ReLU nets of width m and depth L (every parameter ~ N(0, s²)) trained by "
              "gradient descent on 10 random points of sin 4x with one shared step η: "
              "the plain net, its antisymmetrical version ASI (zero output at init, same "
              "kernel), the doubling trick (zero output at init) and RND (a plain net with "
              "a doubled last layer). Eq. 1.14 predicts the plain net: h(·; h_ini) = "
              "h(·; 0) + [h_ini − h(·; 0, X, h_ini(X))].",
        "zh": "宽度 m、深度 L 的四个 ReLU 网络（每个参数 ~ N(0, s²)）用同一个步长 η，"
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
    "init.t": {"en": "time t = η·steps", "zh": "时间 t = η·步数"},
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
              "and doubling should follow. Try s = 0.3 to see a small initial output.",
        "zh": "显示的训练后网络（实线）与目标，旁边是由初始化时的核给出的两个预测："
              "普通网络的式 1.14（黑色虚线：从零出发的拟合加上先验项，即训练永远去不掉的那部分初始输出），"
              "以及从零输出出发的拟合 h(·; 0, X, Y)（绿色点线），ASI 和加倍技巧应当贴近它。"
              "试试 s = 0.3，看初始输出很小时的情形。",
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
        "zh": "式 1.14 的先验项，即训练永远去不掉的那部分初始输出 h_ini：训练点（×）拟合后在那里为零，"
              "在点与点之间不受约束。旁边（虚线）是训练后普通网络与 ASI 网络的实测差，"
              "两者在初始化时的核相同。",
    },
    "init.loss.title": {"en": "Training loss of all four nets (drawn while training)",
                        "zh": "四个网络的训练损失（训练中实时绘制）"},
    "init.loss.caption": {
        "en": "The same η for every net; the thick line is the net shown. Compare how fast "
              "each reaches a small loss.",
        "zh": "所有网络用同一个 η；粗线是当前显示的网络。比较它们达到小损失的快慢。",
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
              "variance at t = η·steps.",
        "zh": "E 个宽度为 m 的两层 ReLU 网络（种子 seed … seed + E − 1，每个参数 ~ N(0, s²)），"
              "分别在初始化时和在 sin 3x 的 n 个点上做梯度下降之后（η = 解析 NTK Θ 的 1/λ_max），"
              "与无限宽的闭式解对比：初始化时的先验协方差 Σ（NNGP），"
              "以及 t = η·步数 时训练后集成的均值与方差。",
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
        "en": "Each thin line is one net at init. About 95 % of them should lie in the band "
              "0 ± 2√Σ(x, x) at each x; the band widens with |x| and scales as s².",
        "zh": "每条细线是一个初始化时的网络。在每个 x 处大约 95% 应落在区间 0 ± 2√Σ(x, x) 内；"
              "区间随 |x| 变宽，并按 s² 缩放。",
    },
    "ensemble.trained.title": {"en": "After training, t = {t:.3g}: nets vs closed form",
                               "zh": "训练后 t = {t:.3g}：网络与闭式解"},
    "ensemble.trained.caption": {
        "en": "The band pinches at the training points (every net fits them) and stays wide "
              "between and beyond them: the randomness of the init is not trained away. The "
              "nets' mean (dashes) approaches the closed-form mean as m and E grow.",
        "zh": "区间在训练点处收窄（每个网络都拟合了它们），在点之间和区间外仍然很宽："
              "初始化的随机性没有被训练消除。m 和 E 增大时，网络的平均（虚线）趋近闭式解均值。",
    },
    "ensemble.std.title": {"en": "Spread over the {E} nets against the closed form",
                           "zh": "{E} 个网络的离散程度与闭式解对比"},
    "ensemble.std.prior": {"en": "√Σ(x, x) (init, closed form)", "zh": "√Σ(x, x)（初始化，闭式）"},
    "ensemble.std.f0": {"en": "σ of the nets at init", "zh": "网络在初始化时的 σ"},
    "ensemble.std.closed": {"en": "σ_t(x) (trained, closed form)",
                            "zh": "σ_t(x)（训练后，闭式）"},
    "ensemble.std.nets": {"en": "σ of the trained nets", "zh": "训练后网络的 σ"},
    "ensemble.std.caption": {
        "en": "Standard deviations over x. With E nets the measured σ itself scatters by "
              "about σ/√(2E); the finite width adds a smaller, systematic gap.",
        "zh": "随 x 变化的标准差。E 个网络测得的 σ 本身约有 σ/√(2E) 的波动；"
              "有限宽度带来一个更小的系统偏差。",
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
