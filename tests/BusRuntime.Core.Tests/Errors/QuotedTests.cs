using BusRuntime.Core.Errors;

namespace BusRuntime.Core.Tests.Errors;

public sealed class QuotedTests
{
    [Fact]
    public void Of_ShortInput_QuotedWhole() => Assert.Equal("'orders'", Quoted.Of("orders"));

    [Fact]
    public void Of_LongInput_PrefixEllipsisAndLength()
    {
        var quoted = Quoted.Of(new string('a', 65536));

        Assert.Equal($"'{new string('a', Quoted.MaxChars)}…' (65536 characters)", quoted);
    }

    [Fact]
    public void Of_ControlCharactersAndLoneSurrogate_Escaped() => Assert.Equal("'a\\u000a\\u0000b\\ud800'", Quoted.Of("a\n\0b\ud800"));

    [Fact]
    public void Of_SurrogatePairAtTheCut_NeverSplit()
    {
        var input = new string('a', Quoted.MaxChars - 1) + "😀" + "tail";

        var quoted = Quoted.Of(input);

        Assert.Equal($"'{new string('a', Quoted.MaxChars - 1)}…' ({input.Length} characters)", quoted);
    }

    [Fact]
    public void Of_Null_EmptyQuotes() => Assert.Equal("''", Quoted.Of(null));

    [Fact]
    public void Bare_LongInput_PrefixAndLengthWithoutQuotes() =>
        Assert.Equal($"{new string('m', Quoted.MaxChars)}… (100 characters)", Quoted.Bare(new string('m', 100)));

    [Fact]
    public void Bare_ShortInput_ItselfWithoutQuotes() => Assert.Equal("merge", Quoted.Bare("merge"));
}
