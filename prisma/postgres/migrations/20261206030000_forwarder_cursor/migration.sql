-- CreateTable
CREATE TABLE "ForwarderCursor" (
    "name" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ForwarderCursor_pkey" PRIMARY KEY ("name")
);
