/* test_loss.c: SoftmaxWithLoss (section 5.6.3), the output layer and its loss,
 * against values computed in float64 with numpy 1.24 (/usr/bin/python3) by a
 * transcription of the book's common/functions.py (softmax,
 * cross_entropy_error with its log(y + 1e-7)) and common/layers.py
 * SoftmaxWithLoss, pasted with repr(); csrc/tests/numpy_ref.py regenerates
 * them and scripts/test.sh checks them. Plus the overflow and underflow cases
 * the row max and the 1e-7 exist for. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "layers.h"

/* ---- Softmax with cross-entropy (5.6.3) ---- */
static void test_softmax_ce(void) {
  /* Row 2 has equal maxima (p = 0.5 each up to the small terms); row 3 has logits of
   * +-1000, which overflow exp() unless the row max is subtracted first. */
  static const double z[12] = {1.0, 2.0, 0.5, -1.0, 10.0, -3.0, 0.0, 10.0, 1000.0, 999.0, 0.0, -1000.0};
  static const uint8_t lab[3] = {1, 3, 1};
  /* numpy: e = exp(z - max); p = e / sum; loss = -sum(log(p[t] + 1e-7)) / B; (p - onehot) / B */
  static const double want_p[12] = {0.2242078180482012, 0.6094600375988771, 0.1359889157935055,
                                    0.03034322855941622, 0.4999880852191384, 1.130137772160968e-06,
                                    2.2699423951028174e-05, 0.4999880852191384, 0.7310585786300049,
                                    0.26894142136999516, 0.0, 0.0};
  static const double want_loss = 0.8338712866990541;
  static const double want_dz[12] = {0.0747359393494004,   -0.13017998746704096, 0.04532963859783517,
                                     0.010114409519805407, 0.16666269507304612,  3.7671259072032266e-07,
                                     7.566474650342724e-06, -0.1666706382602872, 0.2436861928766683,
                                     -0.24368619287666826, 0.0, 0.0};
  real rz[12], p[12], dz[12];
  load_real(rz, z, 12);
  real loss;
  softmax_ce_forward(&loss, p, rz, lab, 3, 4);
  CHECK_CLOSE(loss, want_loss, 4 * REAL_RTOL, REAL_ATOL);
  CHECK_VEC("softmax probs", p, want_p, 12, 4 * REAL_RTOL, 1e-9);
  softmax_ce_backward(dz, p, lab, 3, 4);
  CHECK_VEC("softmax-ce backward", dz, want_dz, 12, 4 * REAL_RTOL, 1e-9);

  /* The label's probability underflows to ~e^-200: the loss is -log(0 + 1e-7) = 16.118095650958320
   * (numpy: -np.log(np.exp(-200.) + 1e-7)), finite thanks to the book's delta. */
  real z3[3] = {0, 200, 0}, p3[3];
  uint8_t l3 = 0;
  real loss3;
  softmax_ce_forward(&loss3, p3, z3, &l3, 1, 3);
  CHECK_CLOSE(loss3, 16.11809565095832, 1e-6, 0);
  CHECK(isfinite(loss3));

  /* Uniform logits: p = 1/C, loss = -log(1/C + 1e-7) (by hand, C = 4: log(4) - ~4e-7). */
  real z4[8] = {3, 3, 3, 3, -7, -7, -7, -7}, p4[8];
  uint8_t l4[2] = {0, 2};
  real loss4;
  softmax_ce_forward(&loss4, p4, z4, l4, 2, 4);
  CHECK_CLOSE(loss4, -log(0.25 + 1e-7), 1e-6, 0);
  for (int i = 0; i < 8; i++) CHECK_CLOSE(p4[i], 0.25, REAL_RTOL, 0);
}

/* The loss alone (evaluation) is the training loss bit for bit: random
 * logits of every scale, ties, +-1000 and an underflowing label. */
static void test_softmax_ce_loss_alone(void) {
  enum { B = 64, C = 10 };
  real z[B * C], p[B * C];
  uint8_t lab[B];
  unsigned st = 12345;
  for (int i = 0; i < B * C; i++) {
    st = st * 1664525u + 1013904223u;
    const double u = (double)(st >> 8) / (1 << 24) - 0.5;
    const int row = i / C;
    z[i] = (real)(row % 4 == 0 ? u * 2000 : row % 4 == 1 ? u : row % 4 == 2 ? (double)(int)(u * 4) : u * 100);
  }
  for (int r = 0; r < B; r++) lab[r] = (uint8_t)((r * 7) % C);
  for (int b = 1; b <= B; b += 9) {
    real want, got;
    softmax_ce_forward(&want, p, z, lab, b, C);
    softmax_ce_loss(&got, z, lab, b, C);
    CHECK(got == want && signbit(got) == signbit(want));
  }
}

int main(void) {
  test_softmax_ce();
  test_softmax_ce_loss_alone();
  return check_finish("test_loss");
}
