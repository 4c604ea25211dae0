using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.SelfTest;

if (SelfTestCommand.IsCommand(args)) return SelfTestCommand.Run();

var builder = Host.CreateApplicationBuilder(args);

builder.AddAnnotateData();
builder.AddObjectStorage();
builder.AddJobStorage();
builder.AddWorkerHost();
builder.AddJobHandlers();

builder.Build().Run();
return 0;
