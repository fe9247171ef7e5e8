namespace BusRuntime.Sidecar.WebConsole;

/// <summary>
/// The console's POSTs act with the operator's power, so each must come from one of its own pages: the browser says
/// where it comes from (Origin, Sec-Fetch-Site), and the form carries the console's <see cref="FormToken"/>. A
/// cross-site form gets neither right and is refused before anything is sent to the sidecar.
/// </summary>
internal static class Forms
{
    /// <summary>A form of <paramref name="action"/> with <paramref name="fields"/> and one submit button named <paramref name="button"/>; <paramref name="confirm"/> asks first.</summary>
    public static string Post(FormToken token, string action, string button, string fields = "", string? confirm = null) =>
        $"<form method=\"post\" action=\"{Html.Text(action)}\"{(confirm is null ? "" : $" data-confirm=\"{Html.Text(confirm)}\"")}>"
        + $"<input type=\"hidden\" name=\"{FormToken.FieldName}\" value=\"{Html.Text(token.Value)}\">"
        + fields + $"<button type=\"submit\">{Html.Text(button)}</button></form>";

    /// <summary>The form of a POST that came from one of the console's pages, or null for any other.</summary>
    public static async Task<IFormCollection?> FromConsoleAsync(FormToken token, HttpContext context)
    {
        var request = context.Request;
        if (request.Headers["Sec-Fetch-Site"] is [{ } site] && site is not ("same-origin" or "none"))
        {
            return null;
        }

        if (request.Headers.Origin is [{ } origin] && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!request.HasFormContentType)
        {
            return null;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        return token.Matches(form[FormToken.FieldName].ToString()) ? form : null;
    }
}
