// i18n-optimizers.js: the strings of section 6.1's two tabs and the gradient
// check, in English and Korean. i18n.js merges them into its tables; the test
// that keeps both languages in step covers them.

const en = {
  'preset.optimizers-2d': 'Optimizers (2-D)',
  'preset.optimizers': 'Optimizers on MNIST',
  'preset.gradient-check': 'Gradient check',
  'about.optimizers-2d': 'The book\'s toy problem f(x, y) = x²/20 + y², a long shallow valley, from (−7, 2): 30 updates of SGD (lr 0.95), Momentum (0.1), AdaGrad (1.5) and Adam (0.3), exactly as common/optimizer.py. SGD zig-zags across the valley, Momentum rolls like a ball, AdaGrad damps the steep direction at once, Adam does a bit of both. Move a slider and the paths are recomputed instantly.',
  'about.optimizers': 'Four identical 5-layer ReLU networks start from the same weights and see the same batches of 128 real MNIST images; only the update rule differs (the book\'s defaults: SGD 0.01, Momentum 0.01, AdaGrad 0.01, Adam 0.001). Thick lines are the loss smoothed as the book\'s smooth_curve, faint ones the raw loss. SGD is slowest; AdaGrad and Adam lowest.',
  'about.gradient-check': 'Is backpropagation right? Each of the ~90,000 gradients of a 784-100-100-10 BatchNorm network is compared with the central difference (L(w + h) − L(w − h)) / 2h, h = 1e-4, in a float64 build of the same engine, and in the float32 one beside it. The book checks a single image, but BatchNorm over one image outputs β whatever the input, so nearly every gradient is exactly 0: the default here is 3 images. It takes a while (~4 evaluations per parameter).',
  'ctl.lrSGD': 'SGD learning rate',
  'ctl.lrMomentum': 'Momentum learning rate',
  'ctl.lrAdaGrad': 'AdaGrad learning rate',
  'ctl.lrAdam': 'Adam learning rate',
  'ctl.x0': 'Start x',
  'ctl.y0': 'Start y',
  'chart.trajectories': 'Paths of the four optimizers over the contours of f(x, y) = x²/20 + y² (+: the minimum)',
  'chart.optimizers': 'Training loss per iteration (thick: smoothed, faint: raw)',
  'chart.gradcheckTable': 'Backprop against the numerical gradient, per parameter',
  'chart.gradcheckBars': 'Mean |backprop − numerical| per parameter (log scale)',
  'series.raw': 'raw',
  'axis.meanAbs': 'mean |difference|',
  'alt.trajectory': '{chart}: {n} positions from ({x0}, {y0}) to ({x}, {y}).',
  'table.tensor': 'Parameter', 'table.entries': 'Entries',
  'table.meanAbs': 'Mean |diff|', 'table.rel': 'Relative error', 'table.rich': 'Relative error, Richardson', 'table.note': 'Note',
  'gc.zero': 'true gradient is 0 *',
  'gc.kinks': '{n} ReLU kinks crossed **',
  'gc.note': '* The bias before BatchNorm cannot change the loss (BatchNorm subtracts the batch mean): both values are rounding noise. ** Differences that crossed a kink of ReLU are left out of the relative errors. Relative error: ‖backprop − numerical‖ / (‖backprop‖ + ‖numerical‖). With h = 1e-4 the difference itself is off by about h²·L‴/6; the Richardson column combines h and 2h to cancel that term and shows how close backprop really is. float32 rounding of the loss (~1e-7) divided by 2h swamps the check. Loss at the checked point: {loss}.',
};

const ko = {
  'preset.optimizers-2d': '옵티마이저 (2차원)',
  'preset.optimizers': 'MNIST에서 옵티마이저 비교',
  'preset.gradient-check': '기울기 확인',
  'about.optimizers-2d': '책의 예제 함수 f(x, y) = x²/20 + y²(길고 완만한 골짜기)를 (−7, 2)에서 출발해 SGD(학습률 0.95), 모멘텀(0.1), AdaGrad(1.5), Adam(0.3)으로 30번 갱신합니다. 갱신 규칙은 common/optimizer.py 그대로입니다. SGD는 골짜기를 가로질러 지그재그로 움직이고, 모멘텀은 공이 구르듯 움직이며, AdaGrad는 가파른 방향을 곧바로 누그러뜨리고, Adam은 둘을 섞은 듯 움직입니다. 슬라이더를 움직이면 경로가 바로 다시 계산됩니다.',
  'about.optimizers': '똑같은 5층 ReLU 신경망 네 개가 같은 가중치에서 출발해 실제 MNIST 이미지 128장짜리 같은 배치로 학습하고, 갱신 규칙만 다릅니다(책의 기본값: SGD 0.01, 모멘텀 0.01, AdaGrad 0.01, Adam 0.001). 굵은 선은 책의 smooth_curve로 매끄럽게 한 손실, 흐린 선은 원래 손실입니다. SGD가 가장 느리고 AdaGrad와 Adam이 가장 낮습니다.',
  'about.gradient-check': '오차역전파가 맞을까요? 784-100-100-10 배치 정규화 신경망의 기울기 약 9만 개를 하나하나 중심 차분 (L(w + h) − L(w − h)) / 2h, h = 1e-4와 비교합니다. 같은 엔진을 float64로 빌드한 것으로 계산하고, 옆에 float32 엔진의 결과를 함께 보여 줍니다. 책은 이미지 한 장으로 확인하지만, 이미지 한 장에 대한 배치 정규화는 입력과 상관없이 β를 출력하므로 거의 모든 기울기가 정확히 0이 됩니다. 그래서 여기서는 기본값을 이미지 3장으로 했습니다. 매개변수마다 손실을 네 번 계산하므로 시간이 좀 걸립니다.',
  'ctl.lrSGD': 'SGD 학습률',
  'ctl.lrMomentum': '모멘텀 학습률',
  'ctl.lrAdaGrad': 'AdaGrad 학습률',
  'ctl.lrAdam': 'Adam 학습률',
  'ctl.x0': '시작 x',
  'ctl.y0': '시작 y',
  'chart.trajectories': 'f(x, y) = x²/20 + y²의 등고선 위 옵티마이저 네 개의 경로(+: 최솟값)',
  'chart.optimizers': '반복별 훈련 손실(굵은 선: 매끄럽게 한 값, 흐린 선: 원래 값)',
  'chart.gradcheckTable': '매개변수별 오차역전파 기울기와 수치 미분 기울기 비교',
  'chart.gradcheckBars': '매개변수별 |오차역전파 − 수치 미분| 평균(로그 눈금)',
  'series.raw': '원래 값',
  'axis.meanAbs': '|차이| 평균',
  'alt.trajectory': '{chart}: ({x0}, {y0})에서 ({x}, {y})까지 위치 {n}개.',
  'table.tensor': '매개변수', 'table.entries': '원소 수',
  'table.meanAbs': '|차이| 평균', 'table.rel': '상대 오차', 'table.rich': '상대 오차, 리처드슨', 'table.note': '참고',
  'gc.zero': '참 기울기가 0 *',
  'gc.kinks': 'ReLU 꺾이는 점 {n}번 지남 **',
  'gc.note': '* 배치 정규화가 배치 평균을 빼므로 그 앞의 편향은 손실을 바꿀 수 없고, 두 값 모두 반올림 오차입니다. ** ReLU의 꺾이는 점을 지난 차분은 상대 오차에서 뺐습니다. 상대 오차: ‖오차역전파 − 수치 미분‖ / (‖오차역전파‖ + ‖수치 미분‖). h = 1e-4이면 차분 자체에 약 h²·L‴/6의 오차가 있습니다. 리처드슨 열은 h와 2h의 차분을 합쳐 이 항을 없앤 값으로, 오차역전파가 실제로 얼마나 정확한지 보여 줍니다. float32에서는 손실의 반올림 오차(~1e-7)를 2h로 나눈 값이 결과를 덮어 버립니다. 확인한 지점의 손실: {loss}.',
};

export const OPTIMIZERS = Object.freeze({ en, ko });
