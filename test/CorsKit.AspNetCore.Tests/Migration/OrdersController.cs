using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>The controller of the typical Program, with Microsoft's attributes (unchanged by the move).</summary>
[ApiController]
[Route("orders")]
[EnableCors("partners")]
public sealed class OrdersController : ControllerBase
{
    [HttpGet]
    public string[] List()
    {
        Response.Headers["X-Total-Count"] = "1";
        return ["order-1"];
    }

    [HttpDelete("{id:int}")]
    [EnableCors]
    public IActionResult Delete(int id) => id > 0 ? NoContent() : NotFound();

    [HttpGet("audit")]
    [DisableCors]
    public string Audit() => "audit";
}
