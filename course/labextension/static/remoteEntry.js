/* water-course-lab: a JupyterLab extension without a build step (a hand-written module
 * federation container, as JupyterLab's loader expects: init() and get("./extension")).
 *
 * 1. nbgrader's panels, menu, toolbar button and dialogs say everything in English; learners
 *    read Chinese. Text nodes inside those parts of the page whose whole text is a known
 *    nbgrader label are replaced by the Chinese label (notebook content is never touched).
 * 2. A widget output saved in a notebook shows "Error displaying widget: model not found"
 *    once its kernel is gone; it says in Chinese to run the cell again instead.
 */
var _JUPYTERLAB;
(function () {
  "use strict";
  var WORDS = {
    "Nbgrader": "作业与评分",
    "Assignment List": "作业列表",
    "Assignments": "作业",
    "Course List": "课程列表",
    "Courses": "课程",
    "Formgrader": "评分面板（讲师）",
    "Formgrader (local)": "评分面板（本机，讲师）",
    "Available formgraders": "可用的评分面板",
    "Create Assignment": "出题（讲师）",
    "Create assignment": "出题（讲师）",
    "Nbgrader Create Assignment": "出题（讲师）",
    "Validate": "检查格式",
    "Validate Assignment": "检查格式",
    "Validating...": "正在检查……",
    "Validation Results": "检查结果",
    "Validation failed": "检查没有通过",
    "Success! Your notebook passes all the tests.": "检查通过：各题的格式都没有问题，可以提交了。",
    "The following cell failed:": "下面这一格没有通过：",
    "The following cell passed:": "下面这一格通过了：",
    "The source of the following cell has changed, but it should not have!":
      "下面这一格是只读的，内容却被改动了（提交后会换回原样）：",
    "There was an error running the validate command:": "检查时出错：",
    "Error validating assignment.": "检查时出错，请请讲师帮忙。",
    "Total points:": "总分：",
    "Fetch": "领取",
    "Fetching...": "正在领取……",
    "Submit": "提交",
    "submitting...": "正在提交……",
    "Fetch Feedback": "取回得分和反馈",
    "Fetching Feedback...": "正在取回……",
    "(feedback available to fetch)": "（得分和反馈已经出来，可以取回）",
    "(view feedback)": "（查看得分和反馈）",
    "Released assignments": "可以领取的作业",
    "Downloaded assignments": "已领取的作业（在“我的作业”文件夹里）",
    "Submitted assignments": "已提交的作业",
    "There are no assignments to fetch.": "现在没有可以领取的作业。",
    "There are no downloaded assignments.": "还没有领取作业。",
    "There are no submitted assignments.": "还没有提交过作业。",
    "Released, downloaded, and submitted assignments for course:": "本课程的作业：",
    "Error fetching assignment.": "领取作业时出错，请请讲师帮忙。",
    "Error submitting assignment.": "提交时出错，请稍后再试，或请讲师帮忙。",
    "Error fetching feedback.": "取回反馈时出错，请稍后再试。",
    "Error fetching courses!": "读取课程列表时出错。",
    "No courses found.": "没有找到课程。",
    "Loading, please wait...": "正在加载，请稍候……",
    "There are no available formgrader services.": "没有可用的评分面板。",
    "Error displaying widget: model not found":
      "这个交互组件要重新运行才能使用：点一下上面的代码格，按 Shift + Enter（已经写的内容会自动恢复）。",
    "Loading widget...": "正在加载交互组件……"
  };
  // Filled in by `course setup` from the course's assignments: id -> "title（id）".
  var TITLES = {};
  Object.keys(TITLES).forEach(function (id) { WORDS[id] = TITLES[id]; });
  var SCOPES = [".lm-MenuBar", ".lm-Menu", ".lm-TabBar", ".jp-Toolbar", ".jp-Dialog",
    ".lm-CommandPalette", ".jp-SideBar", "#assignments_list_info", ".list_container",
    ".panel-heading", ".list_placeholder", ".jp-OutputArea-output", ".nbgrader-dialog",
    "[class*='nbgrader']", "[id*='assignment']", "[id*='course']", ".jp-StatusBar-Item"].join(",");

  function inScope(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    return el && el.closest && el.closest(SCOPES) !== null;
  }

  function fix(textNode) {
    var raw = textNode.nodeValue;
    if (!raw) { return; }
    var key = raw.trim();
    if (Object.prototype.hasOwnProperty.call(WORDS, key) && inScope(textNode)) {
      textNode.nodeValue = raw.replace(key, WORDS[key]);
    }
  }

  function walk(root) {
    if (root.nodeType === 3) { fix(root); return; }
    if (root.nodeType !== 1) { return; }
    var tree = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = tree.nextNode())) { fix(node); }
    if (root.title && WORDS[root.title.trim()]) { root.title = WORDS[root.title.trim()]; }
  }

  var plugin = {
    id: "water-course-lab:chinese-labels",
    description: "Chinese labels for nbgrader's panels and for widgets that must be rerun.",
    autoStart: true,
    activate: function () {
      var observer = new MutationObserver(function (records) {
        records.forEach(function (r) {
          if (r.type === "characterData") { fix(r.target); }
          r.addedNodes.forEach(walk);
        });
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      walk(document.body);
    }
  };

  _JUPYTERLAB = _JUPYTERLAB || {};
  _JUPYTERLAB["water-course-lab"] = {
    init: function () { return Promise.resolve(); },
    get: function (module) {
      if (module === "./extension") {
        return Promise.resolve(function () { return { __esModule: true, default: plugin }; });
      }
      return Promise.reject(new Error("water-course-lab has no module " + module));
    }
  };
})();
