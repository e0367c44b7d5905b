namespace PypiLocal.Protocol.Versions;

/// <summary>PEP 440 local labels: normal form and packaging's segment-wise order.</summary>
internal static class LocalLabel
{
    private static readonly char[] Separators = ['.', '-', '_'];

    /// <summary>Lowercase, '.'-separated, numeric segments without leading zeros (as packaging prints them).</summary>
    public static string Normalize(string local) =>
        string.Join('.', local.ToLowerInvariant().Split(Separators).Select(part => IsNumeric(part) ? TrimZeros(part) : part));

    /// <summary>No label sorts first; then segment by segment, numbers above strings; a longer label wins a tie.</summary>
    public static int Compare(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null ? right is null ? 0 : -1 : 1;
        }

        var leftParts = left.Split('.');
        var rightParts = right.Split('.');
        for (var i = 0; i < Math.Min(leftParts.Length, rightParts.Length); i++)
        {
            var result = CompareSegment(leftParts[i], rightParts[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return leftParts.Length.CompareTo(rightParts.Length);
    }

    private static int CompareSegment(string left, string right)
    {
        bool leftNumeric = IsNumeric(left), rightNumeric = IsNumeric(right);
        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? 1 : -1;
        }

        if (!leftNumeric)
        {
            return string.CompareOrdinal(left, right);
        }

        // Numbers of any size: normalized digits compare by length, then digit by digit.
        left = TrimZeros(left);
        right = TrimZeros(right);
        return left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right);
    }

    private static bool IsNumeric(string part) => part.Length > 0 && part.All(char.IsAsciiDigit);

    private static string TrimZeros(string digits)
    {
        var trimmed = digits.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
