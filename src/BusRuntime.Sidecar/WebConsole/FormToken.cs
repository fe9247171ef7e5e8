using System.Security.Cryptography;
using System.Text;

namespace BusRuntime.Sidecar.WebConsole;

/// <summary>
/// A random value drawn when the console starts, written into every form it serves and required back with every
/// POST: a page of another site cannot read it (the browser keeps other origins' pages from reading the console's),
/// so it cannot make a form the console takes.
/// </summary>
public sealed class FormToken
{
    public const string FieldName = "busruntime-console-token";

    private readonly byte[] value = RandomNumberGenerator.GetBytes(32);

    public string Value => Convert.ToBase64String(value);

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), Encoding.ASCII.GetBytes(Value));
}
