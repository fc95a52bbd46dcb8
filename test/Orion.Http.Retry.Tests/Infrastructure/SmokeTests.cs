using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Infrastructure;

public class LoopbackServerTests
{
    [Test]
    public async Task ResetConnection_AfterRequestRead_ClientSeesResponseEnded()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            LoopbackServer.ResetConnection(context);
            return Task.CompletedTask;
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.PutAsync("reset", new StringContent("x")));

        Assert.That(exception!.HttpRequestError, Is.AnyOf(HttpRequestError.ResponseEnded, HttpRequestError.Unknown));
    }
}
