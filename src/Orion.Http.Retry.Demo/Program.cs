using Orion.Http.Retry.Demo;
using Orion.Http.Retry.Demo.Plan;

if (args is ["plan", ..])
{
    return PlanCommand.Run(args[1..], Console.Out, Console.Error);
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    cancellation.Cancel();
};

return await DemoCommand.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
