namespace BusRuntime.Sidecar.WebConsole;

/// <summary>The page around every view: the navigation, the sidecar it talks to and what the console's tokens let it see.</summary>
internal static class Layout
{
    private static readonly (string Path, string Name)[] Sections =
    [
        ("/messages", "Messages"),
        ("/deadletters", "Dead letters"),
        ("/workflows", "Workflows"),
        ("/health", "Health"),
    ];

    public static IResult Page(ConsoleSidecar sidecar, string section, string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(Open(sidecar, section, title) + body + Close, "text/html; charset=utf-8", statusCode: statusCode);

    /// <summary>The page up to its heading, for a page written while it happens (Redrive all).</summary>
    public static string Open(ConsoleSidecar sidecar, string section, string title)
    {
        var navigation = string.Concat(Sections.Select(item =>
            $"<li><a href=\"{item.Path}\"{(item.Path == section ? " aria-current=\"page\"" : "")}>{Html.Text(item.Name)}</a></li>"));
        var view = sidecar.Tokens.OperatorToken is null
            ? "<p class=\"note\">No operator token: the console sees and acts on the sidecar's own app only. Start it with BUSRUNTIME_OPERATOR_TOKEN set for the whole deployment.</p>"
            : "";
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Html.Text(title)} · BusRuntime console</title>
            <link rel="stylesheet" href="/assets/console.css">
            <script src="/assets/console.js" defer></script>
            </head>
            <body>
            <header>
            <p class="brand">BusRuntime console <span>{Html.Text(sidecar.Address.ToString())}</span></p>
            <nav aria-label="Sections"><ul>{navigation}</ul></nav>
            </header>
            <main>
            <h1>{Html.Text(title)}</h1>
            {view}

            """;
    }

    public const string Close = "\n</main>\n</body>\n</html>\n";
}
