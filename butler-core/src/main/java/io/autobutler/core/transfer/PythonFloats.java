package io.autobutler.core.transfer;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Python's {@code repr(float)} and PyYAML's float representation, for byte-identical output. */
public final class PythonFloats {

  private PythonFloats() {
  }

  /** PyYAML's {@code represent_float}: {@code .nan}, {@code .inf}, or the lower-cased repr with a {@code .0}. */
  static String yaml(double value) {
    if (Double.isNaN(value)) {
      return ".nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? ".inf" : "-.inf";
    }
    String text = repr(value).toLowerCase(java.util.Locale.ROOT);
    if (!text.contains(".") && text.contains("e")) {
      text = text.replaceFirst("e", ".0e");
    }
    return text;
  }

  /**
   * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, in fixed notation
   * when its decimal exponent is between -4 and 16, else in scientific notation ({@code 1e+16}, {@code 1e-05}).
   */
  public static String repr(double value) {
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal shortest = shortest(Math.abs(value)).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int decimalPoint = digits.length() - shortest.scale();
    StringBuilder out = new StringBuilder(sign);
    if (decimalPoint > -4 && decimalPoint <= 16) {
      if (decimalPoint <= 0) {
        out.append("0.").append("0".repeat(-decimalPoint)).append(digits);
      } else if (decimalPoint >= digits.length()) {
        out.append(digits).append("0".repeat(decimalPoint - digits.length())).append(".0");
      } else {
        out.append(digits, 0, decimalPoint).append('.').append(digits.substring(decimalPoint));
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits.substring(1));
      }
      int exponent = decimalPoint - 1;
      out.append('e').append(exponent < 0 ? '-' : '+');
      String e = Integer.toString(Math.abs(exponent));
      out.append(e.length() < 2 ? "0" + e : e);
    }
    return out.toString();
  }

  /** The shortest decimal that rounds to {@code value}, the nearest one among those of that length. */
  private static BigDecimal shortest(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal best = null;
      for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP}) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        if (Double.parseDouble(candidate.toString()) == value) {
          if (best == null
              || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0) {
            best = candidate;
          }
        }
      }
      if (best != null) {
        return best;
      }
    }
    return exact;
  }
}
