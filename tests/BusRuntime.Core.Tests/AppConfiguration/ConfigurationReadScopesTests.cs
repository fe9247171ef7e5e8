using BusRuntime.Core.AppConfiguration;
using BusRuntime.Core.Configuration;

namespace BusRuntime.Core.Tests.AppConfiguration;

public sealed class ConfigurationReadScopesTests
{
    private static ComponentOptions Store(string? readScopes)
    {
        var component = new ComponentOptions { Name = "configstore", Type = ComponentTypes.ConfigurationInMemory };
        if (readScopes is not null)
        {
            component.Metadata[ConfigurationReadScopes.MetadataKey] = readScopes;
        }

        return component;
    }

    [Fact]
    public void For_EntryOfTheApp_AllowsTheAppsItNamesOnly()
    {
        var scopes = ConfigurationReadScopes.For(Store(" billing = shop, orders ; audit=*"), "billing");

        Assert.True(scopes.Allows("shop"));
        Assert.True(scopes.Allows("orders"));
        Assert.False(scopes.Allows("audit"));
        Assert.False(scopes.Allows("shop-eu"));
    }

    [Fact]
    public void For_AppListedTwice_GetsWhatBothEntriesGrant()
    {
        var scopes = ConfigurationReadScopes.For(Store("billing=shop;audit=*;billing=orders"), "billing");

        Assert.True(scopes.Allows("shop"));
        Assert.True(scopes.Allows("orders"));
    }

    [Fact]
    public void For_Star_AllowsEveryApp()
    {
        var scopes = ConfigurationReadScopes.For(Store("billing=shop;audit=*"), "audit");

        Assert.True(scopes.Allows("shop"));
        Assert.True(scopes.Allows("billing"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("audit=*")]
    public void For_NoEntryForTheApp_AllowsNoOtherApp(string? readScopes)
    {
        var scopes = ConfigurationReadScopes.For(Store(readScopes), "billing");

        Assert.False(scopes.Allows("shop"));
    }

    [Theory]
    [InlineData("billing", "'billing' is not one reader=apps pair")]
    [InlineData("billing=shop=orders", "'billing=shop=orders' is not one reader=apps pair")]
    [InlineData("bill.ing=shop", "'bill.ing' is not an app id")]
    [InlineData("billing=", "'billing=' names no app that billing may read")]
    [InlineData("billing=shop,or ders", "'or ders' is neither an app id")]
    public void For_Malformed_ThrowsNamingTheKeyTheFormAndTheFault(string readScopes, string fault)
    {
        // Another app's entry is checked as well: a component file shared by every sidecar fails on all of them alike.
        var exception = Assert.Throws<InvalidOperationException>(() => ConfigurationReadScopes.For(Store(readScopes), "audit"));

        Assert.StartsWith(
            $"BusRuntime:Components[configstore]:Metadata:readScopes '{readScopes}' must be entries like 'billing=shop,orders' or 'audit=*', separated by ';': ",
            exception.Message,
            StringComparison.Ordinal);
        Assert.Contains(fault, exception.Message, StringComparison.Ordinal);
    }
}
