-- CreateTable
CREATE TABLE "ForwarderCursor" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "seq" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
