-- CreateTable
CREATE TABLE "ControlSnapshot" (
    "day" DATETIME NOT NULL,
    "control" TEXT NOT NULL,
    "met" INTEGER NOT NULL,
    "notMet" INTEGER NOT NULL,
    "cannotJudge" INTEGER NOT NULL,

    PRIMARY KEY ("day", "control")
);
