import { describe, expect, it } from "vitest";
import { defineTable, pageWindow, parseTableParams, tableSearchParams } from "@/lib/tables/table-params";

const SPEC = defineTable({ sorts: ["at", "title"], defaultSort: "at", defaultDesc: true });

describe("list view parameters", () => {
  it("open with the list's default order on the first page", () => {
    expect(parseTableParams({}, SPEC)).toEqual({ sort: "at", desc: true, page: 1, pageSize: 25, hidden: [] });
  });

  it("read sort, direction, page, size and hidden columns back from the links they make", () => {
    const params = { sort: "title" as const, desc: false, page: 3, pageSize: 100, hidden: ["trainer", "notes"] };
    const qs = tableSearchParams(params, SPEC);
    expect(qs.toString()).toBe("sort=title&size=100&page=3&hide=trainer%2Cnotes");
    expect(parseTableParams(Object.fromEntries(qs), SPEC)).toEqual(params);
    expect(tableSearchParams(parseTableParams({}, SPEC), SPEC).toString()).toBe("");
  });

  it("fall back to the defaults for values a stale or hand-edited link carries", () => {
    for (const raw of [
      { sort: "-password", page: "-4", size: "1000000" },
      { sort: "title;drop table", page: "1e309", size: "26" },
      { sort: ["\u0000", "title"], page: "NaN", size: "" },
      { sort: "\ud800title", page: "2.9abc" },
    ])
      expect(parseTableParams(raw, SPEC)).toMatchObject({ sort: "at", desc: true, page: 1, pageSize: 25 });
    expect(parseTableParams({ page: "999999999999" }, SPEC).page).toBe(100_000);
    expect(parseTableParams({ page: "7.9" }, SPEC).page).toBe(7);
    expect(parseTableParams({ hide: "a,".repeat(5_000) }, SPEC).hidden).toHaveLength(30);
  });

  it("take the page the parameters name", () => {
    expect(pageWindow({ page: 1, pageSize: 25 })).toEqual({ skip: 0, take: 25 });
    expect(pageWindow({ page: 4, pageSize: 50 })).toEqual({ skip: 150, take: 50 });
  });
});
