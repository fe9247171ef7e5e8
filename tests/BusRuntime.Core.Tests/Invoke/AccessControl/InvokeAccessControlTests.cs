using BusRuntime.Core.Configuration;
using BusRuntime.Core.Invoke.AccessControl;
using Microsoft.Extensions.Options;

namespace BusRuntime.Core.Tests.Invoke.AccessControl;

/// <summary>
/// Dapr's access control rules, on the policies of dapr/dapr pkg/acl acl_test (without trust domains and namespaces,
/// which BusRuntime has not): a call that names a verb is one Dapr makes to an HTTP app, one without to a gRPC app.
/// </summary>
public sealed class InvokeAccessControlTests
{
    private static AccessControlOptions DaprsTestPolicies() => new()
    {
        DefaultAction = "deny",
        TrustDomain = "public",
        Policies =
        [
            Policy("app1", "allow", ("/op1", ["POST", "GET"], "allow"), ("/op2", ["*"], "deny")),
            Policy("app2", "deny", ("/op3/a/*", ["PUT", "GET"], "allow"), ("/op4", ["POST"], "allow")),
            Policy("app3", null, ("/op5", ["POST"], "allow")),
            Policy("app4", "deny", ("/op6", [], "allow"), ("/op7/a/b/*", [], "allow"), ("/op7/a/b/c/f", [], "allow"), ("/op7/a/b*", [], "allow"), ("/op7/c/**", [], "allow")),
        ],
    };

    private static AccessControlPolicyOptions Policy(string appId, string? defaultAction, params (string Name, string[] Verbs, string? Action)[] operations) => new()
    {
        AppId = appId,
        DefaultAction = defaultAction,
        Operations = [.. operations.Select(operation => new AccessControlOperationOptions { Name = operation.Name, HttpVerb = [.. operation.Verbs], Action = operation.Action })],
    };

    private static InvokeAccessControl For(AccessControlOptions options) =>
        new(Options.Create(options), Options.Create(new RuntimeOptions { AppId = "billing" }));

    [Theory]
    [InlineData("appX", "op1", "POST", false)]
    [InlineData("app1", "opX", "POST", true)]
    [InlineData("app1", "Op2", "POST", false)]
    [InlineData("app1", "op1", "GET", true)]
    [InlineData("app1", "op2", "PUT", false)]
    [InlineData("app2", "op4", "PUT", false)]
    [InlineData("app2", "op4", "POST", true)]
    [InlineData("app2", "/op4", "POST", true)]
    [InlineData("app2", "/op3/a", "PUT", true)]
    [InlineData("app2", "/op3/b/b", "PUT", false)]
    [InlineData("app2", "/op3/a/b", "PUT", true)]
    [InlineData("app3", "op5", "PUT", false)]
    [InlineData("app3", "op5", "POST", true)]
    [InlineData("app2", "op4", "", true)]
    [InlineData("app2", "/OP4", "", false)]
    [InlineData("app4", "op6", "", true)]
    [InlineData("app4", "op7/a/b/c", "", true)]
    [InlineData("app4", "op7/a/b/c/d", "", false)]
    [InlineData("app4", "op7/a/b/c/f", "", true)]
    [InlineData("app4", "op7/a/bc", "", true)]
    [InlineData("app4", "op7/c/d/e", "", true)]
    public void Refusal_DaprsAclTestCases_SameDecision(string caller, string method, string verb, bool allowed) =>
        Assert.Equal(allowed, For(DaprsTestPolicies()).Refusal(caller, method, verb) is null);

    [Fact]
    public void Refusal_NothingConfigured_AllowsEveryCall()
    {
        var accessControl = For(new AccessControlOptions());

        Assert.False(accessControl.IsConfigured);
        Assert.Null(accessControl.Refusal("anyone", "anything", "DELETE"));
    }

    [Fact]
    public void Refusal_NoDefaultActionButPolicies_DeniesAppsWithoutOne()
    {
        var accessControl = For(new AccessControlOptions { Policies = [Policy("shop", "allow")] });

        Assert.Null(accessControl.Refusal("shop", "refund", ""));
        Assert.Equal(
            "app 'billing' does not let app 'stranger' call method 'refund': its access control has policies and none for 'stranger', so other callers are denied (BusRuntime:AccessControl:DefaultAction is unset).",
            accessControl.Refusal("stranger", "refund", ""));
    }

    [Fact]
    public void Refusal_OnlyATrustDomain_IsConfiguredAndAllows()
    {
        var accessControl = For(new AccessControlOptions { TrustDomain = "public" });

        Assert.True(accessControl.IsConfigured);
        Assert.Null(accessControl.Refusal("anyone", "anything", ""));
    }

    [Fact]
    public void Refusal_GlobalDeny_NamesTheSettingThatDenied()
    {
        var refusal = For(new AccessControlOptions { DefaultAction = "Deny" }).Refusal("shop", "refund", "POST");

        Assert.Equal("app 'billing' does not let app 'shop' call method 'refund' with POST: its access control denies callers without a policy (BusRuntime:AccessControl:DefaultAction deny).", refusal);
    }

    [Fact]
    public void Refusal_PolicyDefault_NamesThePolicy()
    {
        var refusal = For(DaprsTestPolicies()).Refusal("app2", "op9", "");

        Assert.Equal("app 'billing' does not let app 'app2' call method 'op9': denied by BusRuntime:AccessControl:Policies:1:DefaultAction of its access control.", refusal);
    }

    [Fact]
    public void Refusal_PolicyWithoutDefault_NamesTheGlobalSetting()
    {
        var refusal = For(DaprsTestPolicies()).Refusal("app3", "op9", "");

        Assert.Equal("app 'billing' does not let app 'app3' call method 'op9': denied by BusRuntime:AccessControl:DefaultAction of its access control.", refusal);
    }

    [Fact]
    public void Refusal_Operation_NamesTheOperation()
    {
        var refusal = For(DaprsTestPolicies()).Refusal("app1", "/op2", "PUT");

        Assert.Equal("app 'billing' does not let app 'app1' call method '/op2' with PUT: denied by BusRuntime:AccessControl:Policies:0:Operations:1 ('/op2') of its access control.", refusal);
    }

    [Fact]
    public void Refusal_OperationWithoutAction_Allows()
    {
        var accessControl = For(new AccessControlOptions { DefaultAction = "deny", Policies = [Policy("shop", "deny", ("/orders/*", ["*"], null))] });

        Assert.Null(accessControl.Refusal("shop", "orders/7", "GET"));
        Assert.Null(accessControl.Refusal("shop", "orders/7", ""));
        Assert.NotNull(accessControl.Refusal("shop", "refunds/7", "GET"));
    }

    [Fact]
    public void Refusal_OverlappingOperations_TheFirstThatMatchesDecides()
    {
        var accessControl = For(new AccessControlOptions
        {
            DefaultAction = "allow",
            Policies = [Policy("shop", "allow", ("/orders/export", [], "allow"), ("/orders/*", [], "deny"))],
        });

        Assert.Null(accessControl.Refusal("shop", "orders/export", ""));
        Assert.NotNull(accessControl.Refusal("shop", "orders/7", ""));
    }

    [Fact]
    public void Refusal_VerbListedLowerCase_MatchesTheCallsVerb()
    {
        var accessControl = For(new AccessControlOptions { DefaultAction = "deny", Policies = [Policy("shop", "deny", ("/orders", ["post"], "allow"))] });

        Assert.Null(accessControl.Refusal("shop", "orders", "POST"));
        Assert.NotNull(accessControl.Refusal("shop", "orders", "DELETE"));
    }

    [Fact]
    public void Refusal_OperationWithoutVerbs_DoesNotDecideACallThatNamesOne()
    {
        var accessControl = For(new AccessControlOptions { DefaultAction = "deny", Policies = [Policy("shop", "deny", ("/orders", [], "allow"))] });

        Assert.Null(accessControl.Refusal("shop", "orders", ""));
        Assert.NotNull(accessControl.Refusal("shop", "orders", "POST"));
    }

    [Fact]
    public void Refusal_LongMethod_IsShownShortened()
    {
        var method = new string('m', 200);

        var refusal = For(new AccessControlOptions { DefaultAction = "deny" }).Refusal("shop", method, "");

        Assert.Contains($"method '{new string('m', 64)}… (200 characters)'", refusal, StringComparison.Ordinal);
    }
}
