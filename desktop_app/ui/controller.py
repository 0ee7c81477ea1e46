"""The app controller: owns the workers, their threads and shutdown; the window's panels talk to it.

Requests go to the workers as queued signals (they run in the workers' threads); results come
back as the workers' signals, which the panels connect to bound methods of GUI-thread objects
(so Qt queues them onto the GUI thread). What the window knows of the model comes from
``modelLoaded`` payloads only (``model_facts``), never from the worker's objects.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from desktop_app.core.workspace import Workspace
from desktop_app.ui.workers import IndexWorker, ModelFacts, ModelWorker, SharedEmbedder, start_in_thread

log = logging.getLogger(__name__)



class AppController(QObject):
    requestModel = Signal(str)
    requestAnswer = Signal(object)  # workers.AskRequest
    requestAdapters = Signal(list)
    requestCompare = Signal(str, list)
    requestEvaluation = Signal(object)  # core.evaluation.runs.EvaluationRequest
    requestImport = Signal(list)
    requestReindex = Signal(str)  # the embedder to index the library for
    requestRemoval = Signal(list)
    requestDiscardPending = Signal()
    requestRename = Signal(int, str)
    requestDeleteConversation = Signal(int)
    requestWarmUp = Signal()
    requestWatch = Signal(str)  # a folder to keep in sync
    requestUnwatch = Signal(str)
    requestPauseFolder = Signal(str, bool)
    requestSync = Signal(list)  # watched folders to bring in step (all when empty)

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.model_facts: ModelFacts | None = None
        embedder = SharedEmbedder(workspace)
        self.model_worker = ModelWorker(workspace, embedder)
        self.index_worker = IndexWorker(workspace, embedder)
        self.model_thread = start_in_thread(self.model_worker, "model-worker")
        self.index_thread = start_in_thread(self.index_worker, "index-worker")
        model, index = self.model_worker, self.index_worker
        for request, slot in ((self.requestModel, model.load_model), (self.requestAnswer, model.ask),
                              (self.requestAdapters, model.set_adapters), (self.requestCompare, model.compare),
                              (self.requestEvaluation, model.evaluate), (self.requestImport, index.import_paths),
                              (self.requestReindex, index.reindex),
                              (self.requestRemoval, index.remove_documents),
                              (self.requestDiscardPending, index.discard_pending),
                              (self.requestRename, index.rename_conversation),
                              (self.requestDeleteConversation, index.delete_conversation),
                              (self.requestWarmUp, index.warm_up), (self.requestWatch, index.watch_folder),
                              (self.requestUnwatch, index.unwatch_folder),
                              (self.requestPauseFolder, index.pause_folder), (self.requestSync, index.sync_folders)):
            request.connect(slot)
        model.modelLoaded.connect(self._remember_model)
        model.modelFailed.connect(self._remember_failed_model)
        self._closed = False

    @property
    def model_ready(self) -> bool:
        return self.model_facts is not None

    def _remember_model(self, facts: ModelFacts) -> None:
        self.model_facts = facts

    def _remember_failed_model(self, _message: str, still_loaded: ModelFacts | None) -> None:
        self.model_facts = still_loaded

    def stop_answer(self) -> None:
        self.model_worker.cancel.set()  # checked between tokens in the worker thread

    def cancel_import(self) -> None:
        self.index_worker.cancel.set()  # checked between files and between sections of a large file

    def shutdown(self) -> None:
        """Stop both workers and free what they hold.

        A running import stops now, even in the middle of a file that hangs its parser (the parser
        process is killed); an answer stops at its next token. Loading a model or the embedder
        cannot be interrupted, so shutdown waits for it: a thread is never destroyed while it runs.
        """
        if self._closed:
            return
        self._closed = True
        self.model_worker.cancel.set()
        self.index_worker.cancel.set()
        self.index_worker.abort_parsing()
        for thread in (self.model_thread, self.index_thread):
            thread.quit()
        for thread in (self.index_thread, self.model_thread):
            if not thread.wait(2000):
                log.info("waiting for %s to finish what it cannot interrupt", thread.objectName())
                thread.wait()
        self.index_worker.shutdown()
        self.model_worker.shutdown()
