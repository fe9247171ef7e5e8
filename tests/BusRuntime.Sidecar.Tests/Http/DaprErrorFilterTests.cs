using BusRuntime.Core.Errors;
using BusRuntime.Http.Dapr;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BusRuntime.Sidecar.Tests.Http;

public sealed class DaprErrorFilterTests
{
    public static TheoryData<ErrorCode, ApiOperation> KindsAndOperations()
    {
        var data = new TheoryData<ErrorCode, ApiOperation>();
        foreach (var kind in Enum.GetValues<ErrorCode>())
        {
            foreach (var operation in Enum.GetValues<ApiOperation>())
            {
                data.Add(kind, operation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndOperations))]
    public async Task InvokeAsync_RuntimeError_AnswersTheTablesDaprHttpAnswerForTheOperation(ErrorCode kind, ApiOperation operation)
    {
        var filter = new DaprErrorFilter(operation);

        var result = await filter.InvokeAsync(
            new DefaultEndpointFilterInvocationContext(new DefaultHttpContext()),
            _ => throw new RuntimeException(kind, "the message as it is"));

        var json = Assert.IsType<JsonHttpResult<DaprError>>(result);
        var expected = ErrorTable.DaprHttp(kind, operation);
        Assert.Equal(expected.Status, json.StatusCode);
        Assert.Equal(new DaprError(expected.ErrorCode, "the message as it is"), json.Value);
    }
}
