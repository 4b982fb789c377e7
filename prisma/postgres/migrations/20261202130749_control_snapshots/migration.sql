-- CreateTable
CREATE TABLE "ControlSnapshot" (
    "day" TIMESTAMP(3) NOT NULL,
    "control" TEXT NOT NULL,
    "met" INTEGER NOT NULL,
    "notMet" INTEGER NOT NULL,
    "cannotJudge" INTEGER NOT NULL,

    CONSTRAINT "ControlSnapshot_pkey" PRIMARY KEY ("day","control")
);
