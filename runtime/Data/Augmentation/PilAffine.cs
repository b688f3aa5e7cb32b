using System.Globalization;
using System.Numerics;

namespace NfmGen.Data.Augmentation;

/// <summary>
/// PIL's bilinear affine transform (Pillow 9.4: <c>Image.transform(size, AFFINE, data, BILINEAR)</c> and
/// <c>Image.rotate(angle, BILINEAR)</c>, whose C code is <c>Geometry.c</c>'s <c>ImagingGenericTransform</c> with
/// <c>affine_transform</c> and <c>bilinear_filter8</c> / <c>bilinear_filter32RGB</c>), in the same double-precision
/// operations in the same order, so that the pixels are PIL's bit for bit. Output pixels whose source falls outside the
/// image are 0, as PIL fills them.
/// </summary>
internal static class PilAffine
{
    /// <summary>
    /// <c>image.transform(image.size, Image.AFFINE, (a, b, c, d, e, f), resample=Image.BILINEAR)</c>: output pixel (x, y)
    /// reads the input at (a·x' + b·y' + c, d·x' + e·y' + f), x' and y' its centre.
    /// </summary>
    public static void Transform(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image, ReadOnlySpan<double> matrix)
    {
        double a0 = matrix[0], a1 = matrix[1], a2 = matrix[2], a3 = matrix[3], a4 = matrix[4], a5 = matrix[5];
        int width = image.Width, height = image.Height;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = y * width + x;
                double xin = x + 0.5, yin = y + 0.5;
                var xx = a0 * xin + a1 * yin + a2;
                var yy = a3 * xin + a4 * yin + a5;
                if (xx < 0.0 || xx >= width || yy < 0.0 || yy >= height)
                {
                    for (var c = 0; c < image.Channels; c++)
                        destination[c * image.Plane + at] = 0;
                    continue;
                }
                xx -= 0.5;
                yy -= 0.5;
                var left = (int)Math.Floor(xx);
                var top = (int)Math.Floor(yy);
                var dx = xx - left;
                var dy = yy - top;
                var row = Math.Clamp(top, 0, height - 1) * width;
                var x0 = Math.Clamp(left, 0, width - 1);
                var x1 = Math.Clamp(left + 1, 0, width - 1);
                var below = top + 1 >= 0 && top + 1 < height ? (top + 1) * width : -1;
                for (var c = 0; c < image.Channels; c++)
                {
                    var plane = image.PlaneOf(source, c);
                    double upper = Lerp(plane[row + x0], plane[row + x1], dx);
                    double lower = below >= 0 ? Lerp(plane[below + x0], plane[below + x1], dx) : upper;
                    destination[c * image.Plane + at] = (byte)Lerp(upper, lower, dy); // (UINT8) truncates
                }
            }
        }
    }

    /// <summary>
    /// The matrix of <c>image.rotate(degrees, resample=Image.BILINEAR)</c> about the image's centre (no expansion), as
    /// <c>Image.rotate</c> computes it, or null where PIL returns a copy (a multiple of 360 degrees).
    /// </summary>
    public static double[]? RotationMatrix(double degrees, PlanarImage image)
    {
        var angle = degrees % 360.0;
        if (angle < 0)
            angle += 360.0; // Python's % takes the divisor's sign
        if (angle == 0)
            return null;
        double centreX = image.Width / 2.0, centreY = image.Height / 2.0;
        var radians = -(angle * (Math.PI / 180.0)); // -math.radians(angle)
        double[] matrix = [Round15(Math.Cos(radians)), Round15(Math.Sin(radians)), 0.0, Round15(-Math.Sin(radians)), Round15(Math.Cos(radians)), 0.0];
        var (x, y) = (-centreX - 0, -centreY - 0);
        matrix[2] = matrix[0] * x + matrix[1] * y + 0.0;
        matrix[5] = matrix[3] * x + matrix[4] * y + 0.0;
        matrix[2] += centreX;
        matrix[5] += centreY;
        return matrix;
    }

    /// <summary>
    /// Python's <c>round(value, 15)</c>: the double's exact value rounded to 15 decimals, half to even, then read back as
    /// the nearest double (CPython rounds the exact binary value with <c>_Py_dg_dtoa</c>, and so does this, in integers).
    /// </summary>
    internal static double Round15(double value)
    {
        if (value == 0 || !double.IsFinite(value))
            return value;
        // value = mantissa · 2^exponent exactly; scaled by 10^15 and rounded half to even in integers.
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var rawExponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = new BigInteger(rawExponent == 0 ? bits & 0xFFFFFFFFFFFFFL : (bits & 0xFFFFFFFFFFFFFL) | (1L << 52));
        var exponent = (rawExponent == 0 ? 1 : rawExponent) - 1075;
        var scaled = mantissa * BigInteger.Pow(10, 15);
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = scaled << exponent;
        }
        else
        {
            var divisor = BigInteger.One << -exponent;
            rounded = BigInteger.DivRem(scaled, divisor, out var remainder);
            var twice = remainder * 2;
            if (twice > divisor || (twice == divisor && !rounded.IsEven))
                rounded += 1;
        }
        var result = double.Parse(rounded.ToString(CultureInfo.InvariantCulture) + "e-15", NumberStyles.Float, CultureInfo.InvariantCulture);
        return value < 0 ? -result : result;
    }

    // Geometry.c's BILINEAR(v, a, b, d): a + (b - a) * d.
    private static double Lerp(double a, double b, double d) => a + (b - a) * d;
}
