using System.Text;

namespace PypiLocal.Api.Commands;

/// <summary>
/// A new password for <c>pypilocal user</c>, never from the command line (where <c>ps</c> and shell history show it):
/// the first line of standard input when it is redirected (<c>… &lt; file</c>, a pipe, a secret mount), else typed twice
/// at a prompt that echoes nothing.
/// </summary>
internal static class PasswordInput
{
    public static async Task<string?> ReadAsync(string account, TextWriter error, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            var line = (await Console.In.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
            if (line is null)
            {
                await error.WriteLineAsync("Standard input is empty: give the password as its first line, or run the command at a terminal to be asked.");
            }

            return line;
        }

        var first = Prompt($"New password for {account}: ", error);
        var second = Prompt("Again: ", error);
        if (first != second)
        {
            await error.WriteLineAsync("The passwords differ; nothing was changed.");
            return null;
        }

        return first;
    }

    private static string Prompt(string text, TextWriter error)
    {
        error.Write(text);
        var typed = new StringBuilder();
        while (Console.ReadKey(intercept: true) is var key && key.Key != ConsoleKey.Enter)
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }

        error.WriteLine();
        return typed.ToString();
    }
}
