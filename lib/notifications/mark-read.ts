import "server-only";
import { authorizedWrite, type WriteContext } from "@/lib/audit/authorized-write";
import { AppError } from "@/lib/errors";

/** Marks all of the signed-in person's notifications read. */
export async function markAllRead(ctx: WriteContext): Promise<number> {
  const userId = ctx.actor.id;
  if (!userId) throw new AppError("FORBIDDEN", "Only a signed-in person has notifications.");
  return authorizedWrite(
    ctx,
    { permission: "notification:read-own", loadTarget: async () => ({ ownerId: userId }) },
    async (tx, audit) => {
      const { count } = await tx.notification.updateMany({
        where: { userId, readAt: null },
        data: { readAt: new Date() },
      });
      await audit({
        action: "notification.read",
        targetType: "user",
        targetId: userId,
        summary: `Marked ${count} notification(s) read`,
        details: { count },
      });
      return count;
    },
  );
}
