using AnnotateAnyone.Data.Hosting;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Daring;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Ingest;
using AnnotateAnyone.Worker.Releases;
using AnnotateAnyone.Worker.Review;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.SelfTest;
using AnnotateAnyone.Worker.Synthetic;
using AnnotateAnyone.Worker.Training;

if (SelfTestCommand.IsCommand(args)) return SelfTestCommand.Run();
if (GeneratePeopleCommand.IsCommand(args)) return GeneratePeopleCommand.Run(args);
if (CommandLine.NamesCommand(args))
{
    Console.Error.WriteLine($"error: '{args[0]}' is not a command. Commands: self-test, generate-people --count N --out DIR; with none (settings only, as --Key value) the Worker runs.");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args);

builder.AddAnnotateData();
builder.AddObjectStorage();
builder.AddJobStorage();
builder.AddWorkerHost();
builder.Services.AddHostedService<LapsedItemsUpkeep>();
builder.AddJobHandlers();
builder.AddIngest();
builder.AddCaptioner();
builder.AddReleases();
builder.AddDaring();

builder.Build().Run();
return 0;
