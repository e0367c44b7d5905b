namespace PypiLocal.Api.Hosting;

/// <summary>Turns storage failures into answers a client can act on, never a 500 with a stack trace.</summary>
internal static class StorageErrorsMiddleware
{
    public static WebApplication UseStorageErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                IOException or UnauthorizedAccessException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        return app;
    }
}
