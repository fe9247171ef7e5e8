using Microsoft.Playwright;

namespace BusRuntime.IntegrationTests.WebConsole;

/// <summary>
/// Headless Chromium for the console's tests: Debian's chromium (scripts/test.sh installs it), driven by Playwright
/// without any browser download, so the tests run offline. Each test takes a page of its own.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    /// <summary>Debian's chromium; another with BUSRUNTIME_TEST_CHROMIUM.</summary>
    private static readonly string Executable = Environment.GetEnvironmentVariable("BUSRUNTIME_TEST_CHROMIUM") is { Length: > 0 } chosen ? chosen : "/usr/bin/chromium";

    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"The console's browser tests drive Chromium at {Executable}, which is not there. Install it with `apt-get install -y chromium` (scripts/test.sh does).");
        }

        playwright = await Playwright.CreateAsync();
        // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
    }

    /// <summary>A page of its own, 1280×800, in a context of its own (no cookies shared with another test).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await (browser ?? throw new InvalidOperationException("The browser has not started.")).NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>The variable naming where screenshots go; docs/images refreshes the pictures docs/operations.md shows.</summary>
    public const string ScreenshotsVariable = "BUSRUNTIME_SCREENSHOTS_DIR";

    /// <summary>
    /// Saves what <paramref name="page"/> shows as console-<paramref name="name"/>.png: under the test output's
    /// screenshots folder, or in the folder <see cref="ScreenshotsVariable"/> names, so a test run leaves the
    /// checked-in pictures alone unless asked to refresh them.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Environment.GetEnvironmentVariable(ScreenshotsVariable) is { Length: > 0 } named
            ? Path.GetFullPath(named)
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"console-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 0, $"The screenshot {file} is empty.");
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
